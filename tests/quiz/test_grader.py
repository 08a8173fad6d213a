"""Keys decided by replay, grades by evidence: every kind, malformed answers, variants, caching and purity."""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from sandbox.quiz.errors import QuizFileError
from sandbox.quiz.grader import Grader, normalize_output
from sandbox.quiz.loader import parse
from sandbox.quiz.variables import variant_for

QUIZ = """
quiz: g
title: Grader cases
questions:
  - id: push-needs-login
    kind: which-fails
    prompt: Which fails?
    setup:
      - docker pull alpine
      - docker tag alpine learner/alpine:1.0
    choices:
      a: docker push learner/alpine:1.0
      b: docker tag alpine learner/alpine:2.0
      c: docker images
    answer: a
    explain: Pushing needs docker login.
  - id: pulls
    kind: which-succeeds
    select: many
    prompt: Which succeed?
    choices:
      a: docker pull alice/hello-web:1.0
      b: docker pull alice/secret-app:1.0
      c: docker pull alpine
    answer: [a, c]
  - id: untag
    kind: outcome
    prompt: What is left?
    setup:
      - docker pull alpine
      - docker tag alpine mine:1
      - docker rmi alpine
    choices:
      a: {text: mine:1 is still there, holds: [{image: "mine:1"}, {no-image: alpine}]}
      b: {text: Nothing, holds: [{no-image: "mine:1"}]}
    answer: a
  - id: code
    kind: output
    prompt: Exit code?
    command: docker rmi nothing
    ask: exit-code
    answer: 1
  - id: error
    kind: output
    prompt: What does it print?
    command: docker rmi nothing
    ask: stderr
    answer: "Error response from daemon: No such image: nothing:latest"
  - id: push
    kind: task
    vars: {tag: ["1.0", "2.0", "3.0"]}
    prompt: Push alpine as learner/alpine:${tag}
    setup:
      - docker pull alpine
      - docker login -u learner -p s3cret-pass
    goal:
      - pushed: learner/alpine:${tag}
        same-as: alpine
      - image: learner/alpine:${tag}
    forbid:
      - {words: push -a, because: push one tag}
    max_commands: 3
    solution:
      - docker tag alpine learner/alpine:${tag}
      - docker push learner/alpine:${tag}
  - id: idea
    kind: choice
    prompt: Tags?
    choices: {a: versions, b: containers}
    answer: a
    explain: A tag names a version.
"""


@pytest.fixture(scope="module")
def quiz():
    return parse(QUIZ, "g.yaml")


@pytest.fixture(scope="module")
def grader():
    return Grader()


def grade(grader, quiz, qid, answer, learner=None):
    return grader.grade(quiz.question(qid), answer, quiz_id=quiz.id, learner=learner)


def test_which_fails_key_comes_from_the_replay(grader, quiz) -> None:
    key = grader.key(quiz.question("push-needs-login"))
    assert key.value == "a" and key.problems == ()
    assert dict(key.by_choice)["a"][-1] == "[exit code 1]"


def test_right_answer_scores_full_marks_with_evidence_and_the_sandboxs_explanation(grader, quiz) -> None:
    g = grade(grader, quiz, "push-needs-login", "a")
    assert (g.score, g.max_score, g.correct, g.answer, g.key, g.reason) == (1.0, 1.0, True, "a", "a", None)
    assert g.feedback.startswith("Correct (1/1).\n\nPushing needs docker login.\n\nWhat the sandbox did:\n")
    assert "a) $ docker push learner/alpine:1.0" in g.evidence
    assert "   denied: requested access to the resource is denied" in g.evidence
    assert any("not logged in" in e for e in g.events)


def test_wrong_answer_shows_both_the_key_and_the_learners_choice(grader, quiz) -> None:
    g = grade(grader, quiz, "push-needs-login", "b")
    assert (g.score, g.correct) == (0.0, False)
    assert g.feedback.startswith("Incorrect (0/1); the answer is a.")
    assert "b) $ docker tag alpine learner/alpine:2.0" in g.evidence


@pytest.mark.parametrize("answer", [["a", "c"], "a, c", "c a", ("C", "a")])
def test_select_many_takes_a_list_or_letters_in_text(grader, quiz, answer) -> None:
    assert grade(grader, quiz, "pulls", answer).correct


def test_select_many_needs_the_whole_set(grader, quiz) -> None:
    assert grade(grader, quiz, "pulls", ["a"]).score == 0


def test_outcome_key_is_the_statements_that_hold(grader, quiz) -> None:
    g = grade(grader, quiz, "untag", "a")
    assert g.correct
    assert "a) [met] image mine:1 exists on laptop (present, sha256:" in "\n".join(g.evidence)


def test_output_exit_code(grader, quiz) -> None:
    assert grade(grader, quiz, "code", 1).correct
    assert grade(grader, quiz, "code", " 1 ").correct
    wrong = grade(grader, quiz, "code", 0)
    assert not wrong.correct and wrong.key == 1 and wrong.reason is None


def test_output_text_is_compared_after_normalizing_whitespace(grader, quiz) -> None:
    assert grade(grader, quiz, "error", "  Error response from daemon:   No such image: nothing:latest\n\n").correct
    assert not grade(grader, quiz, "error", "No such image").correct


def test_output_without_ask_is_what_the_terminal_shows_both_streams_in_order(grader) -> None:
    quiz = parse("""
quiz: t
title: Terminal output
questions:
  - id: push-untagged
    kind: output
    prompt: What does the push print?
    setup: [docker pull -q alpine]
    command: docker push alpine-copy
    answer: |
      Using default tag: latest
      The push refers to repository [docker.io/library/alpine-copy]
      An image does not exist locally with the tag: alpine-copy
""", "t.yaml")
    q = quiz.question("push-untagged")
    assert q.ask == "output"
    assert [f.problems for f in grader.check(quiz)] == [()]  # the key mixes stdout and stderr as a terminal does
    g = grader.grade(q, "The push refers to repository [docker.io/library/alpine-copy]", quiz_id="t")
    assert not g.correct and g.feedback.startswith("Incorrect (0/1); the command printed:\nUsing default tag")


def test_normalize_output() -> None:
    assert normalize_output("  a \t b  \n\n  c\n") == "a b\nc"


def test_task_full_marks_for_the_learners_variant(grader, quiz) -> None:
    q = quiz.question("push")
    v = variant_for("g", "push", "ada", 3)
    tag = ["1.0", "2.0", "3.0"][v]
    g = grade(grader, quiz, "push", [f"docker tag alpine learner/alpine:{tag}", f"docker push learner/alpine:{tag}"],
              learner="ada")
    assert (g.variant, g.score, g.correct) == (v, 1.0, True)
    assert g.key == (f"docker tag alpine learner/alpine:{tag}", f"docker push learner/alpine:{tag}")
    assert "goals:" in g.evidence
    assert grader.resolved(q, v).prompt == f"Push alpine as learner/alpine:{tag}"


def test_task_partial_credit_is_the_fraction_of_goals_met(grader, quiz) -> None:
    g = grade(grader, quiz, "push", "docker tag alpine learner/alpine:1.0", learner=None)
    assert (g.score, g.correct) == (0.5, False)
    assert g.feedback.startswith("Partly done (0.5/1).")
    assert "[not met] the registry has learner/alpine:1.0, the same image as alpine on laptop" in "\n".join(g.evidence)


def test_task_detail_says_as_data_which_goals_an_answer_met_and_how_each_command_exited(grader, quiz) -> None:
    q = quiz.question("push")
    d = grader.task_detail(q, ["# first tag", "laptop$ docker tag alpine learner/alpine:1.0",
                               "docker push learner/alpine:9.9"], variant=0)
    assert d.commands == ("docker tag alpine learner/alpine:1.0", "docker push learner/alpine:9.9"), "as the key"
    assert (d.exit_codes, d.goals, d.forbidden, d.reason) == ((0, 1), (False, True), (), None)
    g = grade(grader, quiz, "push", ["docker tag alpine learner/alpine:1.0", "docker push learner/alpine:9.9"])
    assert g.score == sum(d.goals) / len(d.goals), "the grade and the detail come from the same replay"


def test_task_detail_names_every_forbid_rule_hit_without_replaying(grader) -> None:
    q = parse("quiz: f\ntitle: F\nquestions:\n  - id: t\n    kind: task\n    prompt: P\n    goal: [{image: alpine}]\n"
              "    forbid: [{words: rmi -f}, {words: push -a}]\n    solution: [docker pull alpine]\n",
              "f.yaml").question("t")
    d = grader.task_detail(q, ["docker push -a x", "docker rmi -f y"])
    assert (d.forbidden, d.goals, d.exit_codes) == ((0, 1), (), ())
    assert d.reason == "'docker push -a x' uses 'push -a', which this task forbids"
    assert grader.task_detail(q, 42).reason == "expected command lines, got int"
    with pytest.raises(ValueError, match="not a task"):
        grader.task_detail(parse(QUIZ, "g.yaml").question("idea"), "a")


def test_task_lines_may_name_a_host_and_skip_comments(grader, quiz) -> None:
    g = grade(grader, quiz, "push", "# tag then push\n$ docker tag alpine learner/alpine:1.0\n\nlaptop$ docker push learner/alpine:1.0")
    assert g.correct


@pytest.mark.parametrize(
    ("qid", "answer", "reason"),
    [
        ("push-needs-login", "d", "unknown choice 'd'; expected one of a, b, c"),
        ("push-needs-login", None, "no answer"),
        ("push-needs-login", "", "no answer"),
        ("push-needs-login", ["a", "b"], "expected one choice letter, got 2"),
        ("push-needs-login", 3, "expected one choice letter, got int"),
        ("push-needs-login", {"a": 1}, "expected one choice letter, got dict"),
        ("pulls", ["a", "a"], "a choice is given twice"),
        ("idea", "z", "unknown choice 'z'; expected one of a, b"),
        ("code", "one", "expected an exit code (a whole number from 0 to 255), got 'one'"),
        ("code", True, "expected an exit code (a whole number from 0 to 255), got 'True'"),
        ("error", ["a"], "expected the predicted output as text, got list"),
        ("push", None, "no answer"),
        ("push", [], "no commands given"),
        ("push", "\n# nothing\n", "no commands given"),
        ("push", 42, "expected command lines, got int"),
        ("push", ["docker images", 7], "command 2 is int, not a command line"),
        ("push", ["docker images"] * 4, "4 commands; this task allows at most 3"),
        ("push", ["docker images " + "x" * 5000], "command 1 is not one line of at most 4096 characters"),
        ("push", ["docker push -a learner/alpine"],
         "'docker push -a learner/alpine' uses 'push -a', which this task forbids (push one tag)"),
    ],
)
def test_a_malformed_answer_scores_zero_with_a_reason(grader, quiz, qid, answer, reason) -> None:
    g = grade(grader, quiz, qid, answer)
    assert (g.score, g.correct, g.reason) == (0.0, False, reason)
    assert g.feedback.startswith(f"Not graded (0/{g.max_score:g}): {reason}.")


def test_choice_is_keyed_by_the_author(grader, quiz) -> None:
    g = grade(grader, quiz, "idea", "A")
    assert g.correct and g.evidence == () and g.feedback == "Correct (1/1).\n\nA tag names a version."


def test_grading_is_pure(quiz) -> None:
    answers = {"push-needs-login": "b", "push": ["docker tag alpine learner/alpine:2.0"], "code": 1}
    first = Grader().grade_quiz(quiz, answers, learner="ada")
    again = Grader().grade_quiz(quiz, answers, learner="ada")
    assert first == again
    assert first.score == 1.5 and first.max_score == 7.0


def test_setup_is_replayed_once_per_question_and_variant(quiz) -> None:
    made = []

    def world() -> Sandbox:
        made.append(1)
        return Sandbox()

    grader = Grader(world)
    for learner in [f"l{i}" for i in range(20)]:
        grader.grade_quiz(quiz, {"push": "docker tag alpine learner/alpine:1.0", "push-needs-login": "a"},
                          learner=learner)
    replayed = [q for q in quiz.questions if q.kind != "choice"]
    assert len(made) == len(replayed) - 1 + 3  # one per question, three for the three variants of push


def test_grade_quiz_grades_missing_answers_as_zero(grader, quiz) -> None:
    result = grader.grade_quiz(quiz, {})
    assert [g.reason for g in result.grades] == ["no answer"] * 4 + ["no answer", "no answer", "no answer"]
    assert result.score == 0


def test_check_agrees_with_a_correct_file(grader, quiz) -> None:
    findings = grader.check(quiz)
    assert [(f.question_id, f.variant) for f in findings if not f.ok] == []
    assert len(findings) == 9


def test_check_reports_disagreement_ambiguity_and_bad_tasks() -> None:
    quiz = parse("""
quiz: bad
title: Bad
questions:
  - id: wrong-key
    kind: which-fails
    prompt: p
    choices: {a: docker rmi nothing, b: docker images}
    answer: b
  - id: ambiguous
    kind: which-fails
    prompt: p
    choices: {a: docker rmi nothing, b: docker rmi nothing-either}
    answer: a
  - id: weak-solution
    kind: task
    prompt: p
    setup: [docker pull alpine]
    goal: [{image: alpine}, {image: "learner/x:1"}]
    solution: [docker images]
  - id: too-easy
    kind: task
    prompt: p
    setup: [docker pull alpine]
    goal: [{image: alpine}]
    solution: [docker images]
  - id: broken-setup
    kind: output
    prompt: p
    setup: [docker pul alpine]
    command: docker images -q
    ask: stdout
    answer: ""
""", "bad.yaml")
    problems = {f.question_id: f.problems for f in Grader().check(quiz)}
    assert problems["wrong-key"] == ("the replay gives a, the file says answer: b",)
    assert problems["ambiguous"] == (
        "ambiguous: with select: one exactly one choice must fail, the replay finds 2 (a, b)",
        "the replay gives [a, b], the file says answer: a",
    )
    assert problems["weak-solution"] == (
        "the solution meets 1 of 2 goals; not met: [not met] image learner/x:1 exists on laptop (absent)",
    )
    assert problems["too-easy"] == ("an empty answer already meets every goal",)
    assert problems["broken-setup"][0].startswith("setup command '$ docker pul alpine' failed (exit code 1: ")


def test_partial_credit_is_right_picks_minus_wrong_picks_over_the_right_ones_floored_at_zero() -> None:
    from sandbox.quiz.grader import partial_credit

    assert partial_credit(["a"], ["a", "c"]) == 0.5
    assert partial_credit(["a", "b"], ["a", "c"]) == 0.0
    assert partial_credit(["b", "d"], ["a", "c"]) == 0.0  # floored, never negative
    assert partial_credit(["a", "c"], ["a", "c"]) == 1.0
    assert partial_credit(["a", "b", "c"], ["a", "b", "c", "d"]) == 0.75


def test_select_many_with_scoring_partial_gives_partial_credit() -> None:
    quiz = parse("""quiz: p
title: Partial
shuffle: false
questions:
  - id: many
    kind: which-succeeds
    prompt: Which succeed?
    points: 2
    setup: [docker pull alpine]
    choices:
      a: docker images
      b: docker rmi nothing
      c: docker tag alpine web
      d: docker push nothing/here
    select: many
    scoring: partial
    answer: [a, c]
""", "p.yaml")
    q = quiz.questions[0]
    half = Grader().grade(q, ["a"])
    assert (half.score, half.correct) == (1.0, False)
    assert half.feedback.startswith("Partly right (1/2); the answer is [a, c].")
    assert Grader().grade(q, ["a", "b"]).score == 0
    assert Grader().grade(q, "a, c").score == 2 and Grader().grade(q, "a, c").correct


def test_scoring_partial_needs_select_many() -> None:
    with pytest.raises(QuizFileError, match=r"field 'questions\[0\].scoring': partial credit needs select: many"):
        parse("quiz: p\ntitle: T\nquestions:\n  - id: x\n    kind: choice\n    prompt: p\n    choices: {a: x, b: y}\n"
              "    scoring: partial\n    answer: a\n")


def test_evidence_keeps_the_terminals_order_of_stdout_and_stderr() -> None:
    quiz = parse("""quiz: e
title: Evidence
questions:
  - id: run-pulls
    kind: output
    prompt: What does it print?
    command: docker run -d --name web nginx
    ask: exit-code
    answer: 0
""", "e.yaml")
    grade = Grader().grade(quiz.questions[0], 0)
    evidence = list(grade.evidence)
    assert evidence[0] == "$ docker run -d --name web nginx"
    assert evidence[1] == "Unable to find image 'nginx:latest' locally"
    assert evidence[9] == "... (3 more lines)"  # stderr is cut at 8 lines; stdout still shows
    assert len(evidence[10]) == 64 and evidence[11] == "[exit code 0]"  # the container ID comes last, as in a terminal
