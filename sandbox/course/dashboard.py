"""The instructors' dashboard: pages of the course service for the course's instructors and teaching assistants
(by hub user or hub group, from the course file); everyone else gets 403.

- ``dashboard/``: the roster against the quizzes' final scores (`sandbox.course.standings`, counted as ``lms.py``
  says),
  submissions as they arrive (the page polls ``dashboard/api/feed``), the overrides with who made them and why, and
  the forms below.
- ``dashboard/report``: the class report of ``imageshare gradebook report``.
- ``dashboard/override`` (POST): a score override with a comment, kept with the staff member's hub name and time;
  a newer one supersedes it, none is ever edited, and exports show them.
- ``dashboard/reload`` (POST): read the course file again (quizzes, dates, roster) and regrade the submissions whose
  quiz changed.
- ``dashboard/export/...``: the final scores for Canvas, Moodle and Blackboard Learn (``lms.py``'s layouts) and as
  JSON, and the gradebook's own JSON.

Pages are HTML with a script and a style sheet the service serves itself (its Content-Security-Policy allows nothing
else), and every form carries the hub's XSRF token.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from jupyterhub.utils import url_path_join
from tornado import web

from sandbox.course import lms
from sandbox.course.hubauth import HubHandler
from sandbox.course.roster import RosterEntry
from sandbox.course.service import CourseService

STATIC = Path(__file__).parent / "static"
#: The class report is one standalone page with its own inline style and SVG, and no script at all.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'"
#: Submissions the live feed sends at most per poll (the page asks again for the rest).
FEED_PAGE = 200
MAX_COMMENT = 2000


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _points(value: float) -> str:
    return f"{value:g}"


class StaffHandler(HubHandler):
    """A dashboard handler: staff only."""

    api = False

    @property
    def service(self) -> CourseService:
        return self.course_settings["service"]

    @property
    def prefix(self) -> str:
        return self.course_settings["prefix"]

    async def prepare(self) -> None:
        await super().prepare()
        if self.current_user is not None:
            self.require_staff()


class DashboardHandler(StaffHandler):
    """The dashboard's page."""

    async def get(self) -> None:
        board = await self.service.board()
        course = self.service.course
        quizzes = [p.id for p in course.quizzes]
        head = "".join(f"<th scope='col' data-quiz='{_e(q)}'>{_e(q)}<br><span class='muted'>/{_points(p.quiz.points)}"
                       "</span></th>" for q, p in zip(quizzes, course.quizzes))
        rows = []
        for entry, on_roster, scores in table(self.service.roster, board["scores"]):
            cells = "".join(_cell(q, scores.get(q)) for q in quizzes)
            flag = "" if on_roster else " <span class='flag'>not on the roster</span>"
            rows.append(f"<tr data-learner='{_e(entry.id)}'><th scope='row'>{_e(entry.id)}{flag}"
                        f"<br><span class='muted'>{_e(entry.name)}</span></th>{cells}</tr>")
        feed = "".join(_feed_row(s) for s in reversed(board["recent"]))
        overrides = "".join(
            f"<tr><td>{_e(o.at[:19].replace('T', ' '))}</td><td>{_e(o.by_user)}</td><td>{_e(o.learner)}</td>"
            f"<td>{_e(o.quiz)}</td><td>{_e(o.question or 'whole quiz')}</td>"
            f"<td>{'withdrawn' if o.points is None else _points(o.points)}</td><td>{_e(o.comment)}</td></tr>"
            for o in board["history"])
        xsrf = self.xsrf_form_html()
        quiz_options = "".join(f"<option value='{_e(q)}'>{_e(q)}</option>" for q in quizzes)
        message = self.get_argument("said", "")[:500]
        base = url_path_join(self.prefix, "dashboard")
        last = board["recent"][-1]["id"] if board["recent"] else 0
        page = f"""<!doctype html>
<html lang='en'><head><meta charset='utf-8'><title>{_e(course.title or course.id)}: dashboard</title>
<meta name='xsrf' content='{_e(self.xsrf_token.decode() if isinstance(self.xsrf_token, bytes) else self.xsrf_token)}'>
<link rel='stylesheet' href='{_e(base)}/static/dashboard.css'>
<script src='{_e(base)}/static/dashboard.js' defer></script></head>
<body data-feed='{_e(base)}/api/feed' data-after='{last}'>
<header><h1>{_e(course.title or course.id)}</h1><p>Signed in as <b>{_e(self.learner)}</b> ({_e(self.service.role(self.current_user).replace('_', ' '))}).
<a href='{_e(base)}/report'>Class report</a> ·
Export final scores for <a href='{_e(base)}/export/canvas.csv'>Canvas</a>,
<a href='{_e(base)}/export/moodle.csv'>Moodle</a>, <a href='{_e(base)}/export/blackboard.csv'>Blackboard</a>,
<a href='{_e(base)}/export/scores.json'>as JSON</a> · <a href='{_e(base)}/export/gradebook.json'>the gradebook
(JSON)</a></p>
{f"<p class='said' role='status'>{_e(message)}</p>" if message else ""}</header>
<main>
<section><h2>Scores</h2>
<p class='muted'>The score that counts: graded, less the late penalty, or an override. — means nothing handed in
(0 in exports).</p>
<table id='standings'><thead><tr><th scope='col'>Learner</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>
</section>
<section><h2>Submissions as they arrive</h2>
<p class='muted' id='live' role='status'>Live: this list adds each submission as it is recorded.</p>
<table><thead><tr><th>Received</th><th>Learner</th><th>Quiz</th><th>Score</th><th>From</th></tr></thead>
<tbody id='feed'>{feed}</tbody></table></section>
<section><h2>Override a score</h2>
<form method='post' action='{_e(base)}/override'>{xsrf}
<label>Learner <input name='learner' required maxlength='200'></label>
<label>Quiz <select name='quiz'>{quiz_options}</select></label>
<label>Question id (blank: the whole quiz) <input name='question' maxlength='200'></label>
<label>Points (blank: withdraw the override) <input name='points' inputmode='decimal' maxlength='20'></label>
<label>Comment (kept, shown in exports) <input name='comment' required maxlength='{MAX_COMMENT}'></label>
<button type='submit'>Override</button></form>
<h3>Overrides, newest last</h3>
<table><thead><tr><th>At</th><th>By</th><th>Learner</th><th>Quiz</th><th>Question</th><th>Points</th>
<th>Comment</th></tr></thead><tbody>{overrides}</tbody></table></section>
<section><h2>After editing the course</h2>
<form method='post' action='{_e(base)}/reload'>{xsrf}
<button type='submit'>Read the course file again and regrade what changed</button></form></section>
</main></body></html>"""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page)


def table(roster: tuple[RosterEntry, ...], scores: list[lms.FinalScore]
          ) -> list[tuple[RosterEntry, bool, dict[str, lms.FinalScore]]]:
    """Each learner (the roster's in its order, then everyone else with a score, sorted), whether on the roster, and
    their final scores by quiz."""
    by_learner: dict[str, dict[str, lms.FinalScore]] = {}
    for s in scores:
        by_learner.setdefault(s.learner, {})[s.quiz] = s
    listed = {entry.id for entry in roster}
    return [(entry, entry.id in listed, by_learner.get(entry.id, {}))
            for entry in list(roster) + [RosterEntry(learner) for learner in sorted(set(by_learner) - listed)]]


def standing(score: lms.FinalScore | None, submitted: bool) -> dict[str, Any]:
    """A score as the page's live view draws it."""
    if score is None:
        return {"final": 0, "shown": False, "note": ""}
    return {"final": score.final, "shown": True, "submitted": submitted, "note": score.note}


def _cell(quiz: str, score: lms.FinalScore | None) -> str:
    if score is None:
        return f"<td data-quiz='{_e(quiz)}' class='none'>—</td>"
    note = f"<br><span class='muted'>{_e(score.note)}</span>" if score.note else ""
    return f"<td data-quiz='{_e(quiz)}' class='n'>{_points(score.final)}{note}</td>"


def _feed_row(item: dict[str, Any]) -> str:
    return (f"<tr><td>{_e(item['received_at'])}</td><td>{_e(item['learner'])}</td><td>{_e(item['quiz'])}</td>"
            f"<td class='n'>{_points(item['score'])}/{_points(item['max_score'])}</td><td>{_e(item['source'])}</td></tr>")


class FeedHandler(StaffHandler):
    """``GET dashboard/api/feed?after=ID``: the submissions recorded after ``ID`` (oldest first, at most a page),
    and the standings now, for the page's live view."""

    api = True

    async def get(self) -> None:
        try:
            after = int(self.get_argument("after", "0"))
        except ValueError:
            raise web.HTTPError(400, "after: expected a submission id") from None
        board = await self.service.board(after=after, limit=FEED_PAGE)
        standings = {entry.id: {q: standing(scores.get(q), (entry.id, q) in board["submitted"])
                                for q in self.service.quizzes}
                     for entry, _, scores in table(self.service.roster, board["scores"])}
        self.write_json({"submissions": board["recent"], "standings": standings})


class OverrideHandler(StaffHandler):
    """``POST dashboard/override``: add an override (or withdraw one) with a comment, as the hub user."""

    async def post(self) -> None:
        course = self.service.course
        learner = self.get_body_argument("learner", "").strip()
        quiz = self.get_body_argument("quiz", "")
        question = self.get_body_argument("question", "").strip() or None
        points_text = self.get_body_argument("points", "").strip()
        comment = self.get_body_argument("comment", "").strip()
        try:
            policy = course.quiz(quiz)
        except KeyError as e:
            raise web.HTTPError(400, str(e.args[0])) from None
        problems = []
        if not learner:
            problems.append("name the learner")
        if question is not None and policy.quiz.question(question) is None:
            problems.append(f"quiz {quiz!r} has no question {question[:80]!r}")
        if not comment:
            problems.append("say why in the comment (it is kept and shown in exports)")
        if len(comment) > MAX_COMMENT:
            problems.append(f"the comment is over {MAX_COMMENT} characters")
        points = None
        if points_text:
            most = policy.quiz.question(question).points if question and policy.quiz.question(question) else \
                policy.quiz.points
            try:
                points = float(points_text)
            except ValueError:
                points = math.nan
            if not (math.isfinite(points) and 0 <= points <= most):
                problems.append(f"points: expected a number from 0 to {_points(most)}, got {points_text[:20]!r}")
        if problems:
            raise web.HTTPError(400, "; ".join(problems))
        record = await self.service.in_book(self.service.book.add_override, learner, quiz, question, points, comment,
                                            self.learner)
        what = f"{learner} on {quiz}" + (f", question {question}" if question else "")
        said = (f"Override of {what} withdrawn." if points is None else
                f"Override of {what}: {_points(points)} points, by {record.by_user}.")
        self.redirect(url_path_join(self.prefix, "dashboard/") + "?" + _query(said=said), status=303)


class ReloadHandler(StaffHandler):
    """``POST dashboard/reload``: the course file read again, the stale submissions regraded."""

    async def post(self) -> None:
        said = await self.service.reload()
        self.redirect(url_path_join(self.prefix, "dashboard/") + "?" + _query(said=said), status=303)


class ReportHandler(StaffHandler):
    """``GET dashboard/report``: the class report."""

    async def get(self) -> None:
        from sandbox.gradebook.report import report

        course = self.service.course
        page = await self.service.in_reader(report, list(self.service.quizzes),
                                            f"{course.title or course.id}: class report", quizzes=self.service.quizzes)
        self.set_header("Content-Security-Policy", REPORT_CSP)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page)


class ExportHandler(StaffHandler):
    """``GET dashboard/export/NAME``: the final scores as ``canvas.csv``, ``moodle.csv``, ``blackboard.csv`` (each in
    its importer's layout) or ``scores.json``, or ``gradebook.json`` (``imageshare gradebook export --format json``).
    Everyone on the roster is in them; a quiz not handed in is 0."""

    LAYOUTS = {"canvas.csv": lms.canvas_csv, "moodle.csv": lms.moodle_csv, "blackboard.csv": lms.blackboard_csv}

    async def get(self, name: str) -> None:
        course = self.service.course
        if name == "gradebook.json":
            from sandbox.gradebook.exports import json_text

            text = await self.service.in_book(json_text, self.service.book, list(self.service.quizzes))
            kind = "application/json"
        elif name in self.LAYOUTS or name == "scores.json":
            scores = (await self.service.board(limit=0))["scores"]
            columns = [lms.Column.of(policy) for policy in course.quizzes]
            try:
                if name == "scores.json":
                    text, kind = lms.json_text(course.id, columns, self.service.roster, scores), "application/json"
                else:
                    text, kind = self.LAYOUTS[name](columns, self.service.roster, scores), "text/csv"
            except lms.ExportError as e:
                raise web.HTTPError(409, str(e)) from None
        else:
            raise web.HTTPError(404, f"no export {name[:60]!r}")
        self.set_header("Content-Type", f"{kind}; charset=utf-8")
        self.set_header("Content-Disposition", f"attachment; filename=\"{course.id}-{name}\"")
        self.finish(text)


class StaticHandler(StaffHandler):
    """The dashboard's script and style sheet (served here: the page's CSP allows nothing from elsewhere)."""

    FILES = {"dashboard.js": "application/javascript", "dashboard.css": "text/css"}

    def get(self, name: str) -> None:
        if name not in self.FILES:
            raise web.HTTPError(404)
        self.set_header("Content-Type", f"{self.FILES[name]}; charset=utf-8")
        self.finish((STATIC / name).read_bytes())


def _query(**values: str) -> str:
    from urllib.parse import urlencode

    return urlencode(values)


def routes(prefix: str, settings: dict[str, Any]) -> list[tuple]:
    """The dashboard's URL routes under ``prefix``."""
    base = url_path_join(prefix, "dashboard")
    return [
        (base + "/", DashboardHandler, settings),
        (base + "/api/feed", FeedHandler, settings),
        (base + "/override", OverrideHandler, settings),
        (base + "/reload", ReloadHandler, settings),
        (base + "/report", ReportHandler, settings),
        (base + r"/export/([a-z.]+)", ExportHandler, settings),
        (base + r"/static/([a-z.]+)", StaticHandler, settings),
    ]
