"""The instructor's report: one standalone HTML page with, per quiz, the score distribution and each question's
difficulty drawn as inline SVG (no scripts, no plotting library, nothing fetched), a table of the most common wrong
answers, each variant's difficulty beside its siblings', per task the goals missed, the forbidden patterns hit and
the commonest wrong commands (``analysis``), and the rejected submissions. A function of the gradebook, and of the
quiz files for what only a replay of the tasks can tell."""

from __future__ import annotations

import html
from typing import Iterable, Mapping

from sandbox.gradebook.analysis import (
    VARIANT_GAP,
    VARIANT_LEARNERS,
    VARIANT_Z,
    QuizAnalysis,
    answer_rows,
    quiz_analysis,
)
from sandbox.gradebook.exports import points
from sandbox.gradebook.store import Gradebook, RejectionRecord
from sandbox.gradebook.summary import QuizSummary, summarize
from sandbox.quiz.grader import Grader
from sandbox.quiz.model import Quiz

BINS = 10
STYLE = """body{font:14px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;
text-align:left;vertical-align:top}td.n{text-align:right}svg{display:block;margin:.5rem 0 1rem}
svg text{font:12px system-ui,sans-serif}.charts{display:flex;flex-wrap:wrap;gap:2rem}"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _rate_color(rate: float) -> str:
    """Red for what the class missed, amber in between, green for what it knew."""
    return "#c0392b" if rate < 0.5 else "#d68910" if rate < 0.8 else "#1e8449"


def histogram(summary: QuizSummary) -> str:
    """The quiz's score distribution as an SVG bar chart: learners per whole point (for quizzes of up to 20
    points), else per tenth of the points; partial credit counts toward the bar below it."""
    whole = summary.points <= 20 and float(summary.points).is_integer()
    bins = int(summary.points) + 1 if whole else BINS
    counts = [0] * bins
    for score in summary.scores:
        at = score if whole else (score / summary.points * BINS if summary.points else 0.0)
        counts[min(int(at), bins - 1)] += 1
    labels = [str(i) for i in range(bins)] if whole else [f"{i * 10}" for i in range(bins)]
    titles = ([f"{i} point{'' if i == 1 else 's'}" for i in range(bins)] if whole
              else [f"{i * 10}-{(i + 1) * 10}%" for i in range(bins)])
    axis = f"points of {points(summary.points)}" if whole else f"score, % of {points(summary.points)} points"
    width, height, left, bottom, top = 420, 200, 34, 34, 14
    bar = (width - left - 6) / bins
    peak = max(counts) or 1
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{_e(summary.quiz)}: score distribution">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#555"/>']
    for i, n in enumerate(counts):
        h = (height - bottom - top) * n / peak
        x = left + i * bar
        y = height - bottom - h
        parts.append(f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" fill="#2e86c1">'
                     f'<title>{titles[i]}: {n}</title></rect>')
        if n:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{n}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">{labels[i]}</text>')
    parts.append(f'<text x="{width - 4}" y="{height - 4}" text-anchor="end">{axis}</text>')
    parts.append(f'<text x="2" y="{top}">learners</text></svg>')
    return "".join(parts)


def difficulty(summary: QuizSummary) -> str:
    """Each question's share of learners with full marks, as horizontal SVG bars in quiz order."""
    row, label, width = 22, 200, 460
    height = row * len(summary.questions) + 24
    scale = width - label - 50
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{_e(summary.quiz)}: share of learners with full marks per question">']
    for i, q in enumerate(summary.questions):
        y = i * row + 4
        w = scale * q.success_rate
        parts.append(f'<text x="{label - 6}" y="{y + 14}" text-anchor="end">{_e(q.question)}</text>')
        parts.append(f'<rect x="{label}" y="{y + 2}" width="{scale}" height="{row - 6}" fill="#eee"/>')
        parts.append(f'<rect x="{label}" y="{y + 2}" width="{w:.1f}" height="{row - 6}" '
                     f'fill="{_rate_color(q.success_rate)}"><title>{q.correct} of {q.answered}</title></rect>')
        parts.append(f'<text x="{label + scale + 6}" y="{y + 14}">{q.success_rate:.0%}</text>')
    parts.append(f'<text x="{label}" y="{height - 4}">share of learners with full marks</text></svg>')
    return "".join(parts)


def most_missed(summary: QuizSummary) -> list:
    """Every question with the lowest share of full marks (all of them when they tie), none when all got full
    marks or nobody answered."""
    if not summary.questions or not summary.learners:
        return []
    low = min(q.success_rate for q in summary.questions)
    return [] if low >= 1 else [q for q in summary.questions if q.success_rate == low]


def variants_table(analysis: QuizAnalysis) -> str:
    """Each variant's share of full marks beside its siblings', flagged when markedly easier or harder."""
    if not analysis.variants:
        return ""
    out = [f"<h3>Variants</h3><p>A variant is flagged when its share of full marks is at least {VARIANT_GAP * 100:g} "
           "points above or below that of the question's other variants together, a difference a two-proportion "
           f"z-test puts beyond chance (|z| &ge; {VARIANT_Z:g}), with at least {VARIANT_LEARNERS} learners on each "
           "side: a reason to look at it (about 1 comparison in 20 passes that test by chance alone).</p>",
           "<table><tr><th>question</th><th>variant</th><th>full marks</th><th>other variants</th><th></th></tr>"]
    for question, rates in analysis.variants.items():
        for r in rates:
            out.append(f'<tr><td>{_e(question)}</td><td class="n">{r.variant}</td>'
                       f'<td class="n">{r.correct}/{r.learners} ({r.rate:.0%})</td>'
                       f'<td class="n">{r.others_correct}/{r.others_learners} ({r.others_rate:.0%})</td>'
                       f"<td>{'<strong>' + r.flag + '</strong>' if r.flag else ''}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def tasks_section(analysis: QuizAnalysis) -> str:
    """Per task: goals missed, forbidden patterns hit, commonest wrong commands; and why a task was not analysed."""
    out = []
    for t in analysis.tasks:
        out.append(f"<h3>Task {_e(t.question)}</h3><p>{t.answers} answer{'' if t.answers == 1 else 's'}, "
                   f"{t.replayed} replayed"
                   + (f", {t.unreadable} with no command to replay (unanswered or unreadable)"
                      if t.unreadable else "")
                   + ".</p>")
        out.append("<table><tr><th>goal</th><th>missed by</th></tr>" + "".join(
            f'<tr><td>{_e(g.label)}</td><td class="n">{g.missed} of {g.of}</td></tr>' for g in t.goals) + "</table>")
        if t.forbidden:
            out.append("<table><tr><th>forbidden</th><th>hit by</th></tr>" + "".join(
                f'<tr><td><code>{_e(f.pattern)}</code></td><td class="n">{f.learners}</td></tr>'
                for f in t.forbidden) + "</table>")
        if t.wrong_commands:
            out.append("<table><tr><th>commonest wrong commands (not in the solution, from learners without full "
                       "marks)</th><th>learners</th><th>failed for</th></tr>" + "".join(
                           f'<tr><td><code>{_e(w.command)}</code></td><td class="n">{w.learners}</td>'
                           f'<td class="n">{w.failed}</td></tr>' for w in t.wrong_commands) + "</table>")
    out.extend(f"<p>Not analysed: {_e(note)}.</p>" for note in analysis.notes)
    return "\n".join(out)


def render(summaries: Iterable[QuizSummary], rejections: Iterable[RejectionRecord], title: str,
           analyses: Mapping[str, QuizAnalysis] | None = None) -> str:
    """The report page for these summaries and rejections, with each quiz's ``analyses`` where given."""
    summaries, rejections = list(summaries), list(rejections)
    analyses = analyses or {}
    out = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>", f"<h1>{_e(title)}</h1>",
        "<table><tr><th>quiz</th><th>learners</th><th>mean</th><th>median</th><th>points</th>"
        "<th>most missed</th></tr>",
    ]
    for s in summaries:
        missed = most_missed(s)
        out.append(f'<tr><td><a href="#{_e(s.quiz)}">{_e(s.title)}</a> ({_e(s.quiz)})</td><td class="n">{s.learners}'
                   f'</td><td class="n">{points(s.mean)}</td><td class="n">{points(s.median)}</td>'
                   f'<td class="n">{points(s.points)}</td><td>'
                   + ", ".join(f"{_e(q.question)} ({q.success_rate:.0%})" for q in missed) + "</td></tr>")
    out.append(f"</table><p>{len(rejections)} rejected submission{'' if len(rejections) == 1 else 's'}"
               + (' (<a href="#rejected">listed below</a>)' if rejections else "") + ".</p>")
    for s in summaries:
        out.append(f'<h2 id="{_e(s.quiz)}">{_e(s.title)} ({_e(s.quiz)})</h2>')
        out.append(f"<p>{s.learners} learner{'' if s.learners == 1 else 's'}; mean {points(s.mean)}, median {points(s.median)} of "
                   f"{points(s.points)} points.</p>")
        out.append(f'<div class="charts"><div>{histogram(s)}</div><div>{difficulty(s)}</div></div>')
        out.append("<table><tr><th>question</th><th>kind</th><th>points</th><th>full marks</th><th>mean</th>"
                   "<th>no answer</th><th>discrimination</th><th>most common wrong answers</th></tr>")
        for q in s.questions:
            wrong = "<br>".join(f"{_e(a)} ({n})" for a, n in q.common_wrong)
            index = "" if q.discrimination is None else f"{q.discrimination:+.2f}"
            out.append(f"<tr><td>{_e(q.question)}</td><td>{_e(q.kind)}</td><td class=\"n\">{points(q.points)}</td>"
                       f'<td class="n">{q.correct}/{q.answered} ({q.success_rate:.0%})</td>'
                       f'<td class="n">{q.mean_fraction:.0%}</td><td class="n">{q.unanswered}</td>'
                       f'<td class="n">{index}</td><td>{wrong}</td></tr>')
        out.append("</table>")
        if s.quiz in analyses:
            out += [part for part in (variants_table(analyses[s.quiz]), tasks_section(analyses[s.quiz])) if part]
    if rejections:
        out.append('<h2 id="rejected">Rejected submissions</h2><table><tr><th>file</th><th>learner</th><th>quiz</th>'
                   "<th>reason</th></tr>")
        for r in rejections:
            out.append(f"<tr><td>{_e(r.path)}</td><td>{_e(r.learner or '')}</td><td>{_e(r.quiz or '')}</td>"
                       f"<td>{_e(r.reason)}</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def report(book: Gradebook, quiz_ids: Iterable[str] | None = None, title: str = "Gradebook report",
           quizzes: Mapping[str, Quiz] | None = None) -> str:
    """The report page for the gradebook (all quizzes, or those named); ``quizzes`` (by id) are the loaded quiz
    files, whose tasks are replayed to tell what the class did on them (without them the page says so)."""
    quiz_ids = None if quiz_ids is None else list(quiz_ids)
    summaries = summarize(book, quiz_ids)
    records = book.quizzes(quiz_ids)
    rows: dict[str, list] = {r.quiz: [] for r in records}
    for s in book.submissions(list(rows), detail=False):
        rows[s.quiz].extend(answer_rows([s]))
    grader = Grader()
    analyses = {r.quiz: quiz_analysis(r, rows[r.quiz], (quizzes or {}).get(r.quiz), grader) for r in records}
    return render(summaries, book.rejections(), title, analyses)
