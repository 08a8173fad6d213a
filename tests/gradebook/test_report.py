"""The instructor's report: one standalone HTML page, charts as inline SVG, no script, no outside resource, every
text escaped; the same gradebook gives the same page."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from sandbox.gradebook.report import difficulty, histogram, render, report
from sandbox.gradebook.store import Gradebook, RejectionRecord
from sandbox.gradebook.summary import QuestionSummary, QuizSummary

from .conftest import QUIZZES, REJECTED, TASK_QUIZ, grade, gradebook, write_class


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v and not v.startswith("#")]


def test_the_report_is_one_page_of_inline_svg_without_scripts_or_fetches(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_class(subs, 12)
    (subs / "bad.yaml").write_bytes((REJECTED / "learner-path-traversal.yaml").read_bytes())
    grade(QUIZZES, subs, "--db", tmp_path / "g.sqlite")
    with Gradebook(tmp_path / "g.sqlite") as book:
        page = report(book)
        assert page == report(book)
    parser = _Tags()
    parser.feed(page)
    assert parser.tags.count("svg") == 2 and "script" not in parser.tags and parser.urls == []
    assert "12 learners; mean 1.5, median 1 of 4 points." in page
    assert "1 rejected submission (<a href=\"#rejected\">listed below</a>)." in page
    assert "learner &#x27;../../etc/passwd&#x27; is not a plain id" in page


def summary(scores, rates) -> QuizSummary:
    questions = tuple(QuestionSummary(f"q{i}", "choice", 1, 10, round(r * 10), r, (("b", 3),))
                      for i, r in enumerate(rates))
    return QuizSummary("quiz", "A <b>quiz</b>", 4, tuple(scores), questions)


def test_the_histogram_of_a_short_quiz_has_a_bar_per_point() -> None:
    svg = histogram(summary([0, 0.5, 4, 4, 3.9], [1]))
    assert svg.count("<rect") == 5
    assert "<title>0 points: 2</title>" in svg and "<title>3 points: 1</title>" in svg
    assert "<title>4 points: 2</title>" in svg and "<title>1 point: 0</title>" in svg


def test_the_histogram_of_a_long_quiz_has_a_bar_per_tenth() -> None:
    long = replace(summary([0, 5, 50, 49.9], [1]), points=50)
    svg = histogram(long)
    assert svg.count("<rect") == 10
    assert "<title>0-10%: 1</title>" in svg and "<title>90-100%: 2</title>" in svg and "<title>10-20%: 1</title>" in svg


def test_difficulty_colours_what_the_class_missed() -> None:
    svg = difficulty(summary([1], [0.2, 0.6, 0.9]))
    assert svg.count('fill="#c0392b"') == 1 and svg.count('fill="#d68910"') == 1 and svg.count('fill="#1e8449"') == 1
    assert ">20%</text>" in svg and ">90%</text>" in svg


def test_titles_and_rejection_reasons_are_escaped() -> None:
    page = render([summary([1], [0.5])], [RejectionRecord("<x>.yaml", None, None, None, "bad <b>")], "Report")
    assert "<b>quiz</b>" not in page and "A &lt;b&gt;quiz&lt;/b&gt;" in page and "bad &lt;b&gt;" in page


def test_most_missed_lists_every_question_tied_for_the_lowest_share() -> None:
    from sandbox.gradebook.report import most_missed
    from sandbox.gradebook.summary import QuestionSummary, QuizSummary

    questions = (QuestionSummary("a", "choice", 1, 4, 1, 0.25), QuestionSummary("b", "choice", 1, 4, 3, 0.75),
                 QuestionSummary("c", "choice", 1, 4, 1, 0.25))
    summary = QuizSummary("q", "Q", 3, (1, 1, 2, 1), questions)
    assert [q.question for q in most_missed(summary)] == ["a", "c"]
    full = QuizSummary("q", "Q", 1, (1,), (QuestionSummary("a", "choice", 1, 1, 1, 1.0),))
    assert most_missed(full) == []




def graded_tasks(tmp_path: Path) -> Path:
    """A class of 12 on the task: 4 right, 4 pushing without a tag first, 2 breaking a rule, 2 typing markup."""
    from sandbox.quiz import Grader, parse

    quiz = parse(TASK_QUIZ, "pushing.yaml")
    grader, q = Grader(), quiz.question("push")
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "pushing.yaml").write_text(TASK_QUIZ)
    subs = tmp_path / "subs"
    subs.mkdir()
    for i in range(12):
        learner = f"l{i:02d}"
        tag = ["1.0", "2.0"][grader.variant(quiz.id, q, learner)]
        answer = ([f"docker tag alpine learner/alpine:{tag}", f"docker push learner/alpine:{tag}"] if i < 4
                  else [f"docker  push learner/alpine:{tag}"] if i < 8
                  else ["docker push -a learner/alpine"] if i < 10
                  else ["docker run '<script>alert(1)</script>'"])
        lines = "".join(f"\n    - {line!r}" for line in answer)
        (subs / f"{learner}.yaml").write_text(f"learner: {learner}\nquiz: pushing\nanswers:\n  push:{lines}\n")
    assert grade(tmp_path / "quizzes", subs, "--db", tmp_path / "g.sqlite").code == 0
    return tmp_path / "g.sqlite"


def test_the_report_says_which_goals_rules_and_commands_a_task_went_wrong_on(tmp_path: Path) -> None:
    db = graded_tasks(tmp_path)
    assert gradebook("report", "--db", db, "-o", tmp_path / "r.html").code == 0
    page = (tmp_path / "r.html").read_text()
    assert "<h3>Task push</h3><p>12 answers, 10 replayed.</p>" in page
    assert ('<tr><td>image learner/alpine:${tag} exists on laptop</td><td class="n">6 of 10</td></tr>'
            '<tr><td>the registry has learner/alpine:${tag}</td><td class="n">6 of 10</td></tr>') in page
    assert '<tr><td><code>push -a</code></td><td class="n">2</td></tr>' in page
    wrong = page[page.index("commonest wrong commands"):].split("</table>")[0]
    assert "docker push learner/alpine:" not in wrong, "a line of the solution is no wrong command, even alone"
    assert ('<tr><td><code>docker run &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;</code></td><td class="n">2</td>'
            '<td class="n">2</td></tr><tr><td><code>docker push -a learner/alpine</code></td><td class="n">2</td>'
            '<td class="n">0</td></tr>') in wrong, "escaped; most failures first; a forbidden one is not run"
    assert "<script>" not in page


def test_the_report_without_the_quiz_file_says_why_tasks_were_not_analysed(tmp_path: Path) -> None:
    db = graded_tasks(tmp_path)
    (tmp_path / "quizzes" / "pushing.yaml").unlink()
    assert gradebook("report", "--db", db, "-o", tmp_path / "r.html").code == 0
    page = (tmp_path / "r.html").read_text()
    assert "<h3>Task push</h3>" not in page and "<p>Not analysed: push: goals, forbidden patterns and commands need" \
        " the quiz file (" in page
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "p.yaml").write_text(TASK_QUIZ)
    assert gradebook("report", "--db", db, "-o", tmp_path / "r.html", "--quizzes", tmp_path / "elsewhere").code == 0
    assert "<h3>Task push</h3>" in (tmp_path / "r.html").read_text()
    (tmp_path / "elsewhere" / "p.yaml").write_text(TASK_QUIZ.replace("push -a", "push --all-tags"))
    assert gradebook("report", "--db", db, "-o", tmp_path / "r.html", "--quizzes", tmp_path / "elsewhere").code == 0
    assert "no longer holds this task as it was graded" in (tmp_path / "r.html").read_text()
    broken = gradebook("report", "--db", db, "-o", tmp_path / "r.html", "--quizzes", tmp_path / "nowhere")
    assert broken.code == 2 and "nowhere" in broken.err


def test_the_report_compares_each_variant_with_its_siblings(tmp_path: Path) -> None:
    db = graded_tasks(tmp_path)
    with Gradebook(db) as book:
        page = report(book)
    assert "<h3>Variants</h3>" in page and "|z| &ge; 1.96" in page
    assert page.count('<tr><td>push</td><td class="n">') == 2
