"""What the report says about questions beyond their scores, from plain rows: per task the goals the class missed,
the forbidden patterns it hit and its commonest wrong commands; per question with vars, a variant markedly easier or
harder than its siblings. Task rows come from regrading the stored answers, the commonest first and bounded."""

from __future__ import annotations

from sandbox.gradebook.analysis import (
    COMMAND_CHARS,
    AnswerRow,
    command_text,
    goal_labels,
    task_analysis,
    task_rows,
    variant_rates,
)
from sandbox.quiz import Grader, TaskDetail, parse

from .conftest import TASK_QUIZ

TASK = parse(TASK_QUIZ, "pushing.yaml").question("push")
SOLUTION = ("docker tag alpine learner/alpine:1.0", "docker push learner/alpine:1.0")


def rows(question: str, variant: int, right: int, wrong: int) -> list[AnswerRow]:
    return [AnswerRow(question, variant, f"v{variant}-{i}", i < right) for i in range(right + wrong)]


def test_a_variant_far_from_its_siblings_beyond_chance_is_flagged() -> None:
    rates = variant_rates(rows("q", 0, 18, 2) + rows("q", 1, 5, 15) + rows("q", 2, 17, 3))
    assert [(r.variant, r.correct, r.learners, r.others_correct, r.others_learners, r.flag) for r in rates["q"]] == [
        (0, 18, 20, 22, 40, "easier"), (1, 5, 20, 35, 40, "harder"), (2, 17, 20, 23, 40, "easier")]


def test_a_small_or_close_variant_is_not_flagged_and_one_variant_is_no_comparison() -> None:
    few = variant_rates(rows("q", 0, 4, 0) + rows("q", 1, 0, 4))["q"]
    assert [r.flag for r in few] == ["", ""], "4 learners a side could be chance"
    close = variant_rates(rows("q", 0, 15, 5) + rows("q", 1, 12, 8))["q"]
    assert [r.flag for r in close] == ["", ""], "15 points apart is within the 20-point gap"
    assert variant_rates(rows("one", 0, 3, 9)) == {}


def detail(*commands: str, codes=(), goals=(), forbidden=()) -> TaskDetail:
    return TaskDetail(commands, tuple(codes), tuple(goals), tuple(forbidden))


def test_a_task_analysis_counts_goals_missed_rules_hit_and_wrong_commands() -> None:
    answers = [
        AnswerRow("push", 0, "ada", True, key=SOLUTION, task=detail(*SOLUTION, codes=(0, 0), goals=(True, True))),
        AnswerRow("push", 0, "bob", False, key=SOLUTION,
                  task=detail("docker tag alpine learner/alpine:1.0", "docker   push  learner/alpine:1.0 ",
                              "docker push alpine", codes=(0, 0, 1), goals=(True, False))),
        AnswerRow("push", 0, "cy", False, key=SOLUTION,
                  task=detail("docker push alpine", "docker push alpine", codes=(1, 1), goals=(False, False))),
        AnswerRow("push", 0, "di", False, key=SOLUTION, task=detail("docker push -a learner/alpine", forbidden=(0,))),
        AnswerRow("push", 0, "ed", False, key=SOLUTION, task=TaskDetail(reason="no answer")),
    ]
    t = task_analysis("push", answers, goal_labels(TASK), ["push -a"])
    assert (t.answers, t.replayed, t.unreadable) == (5, 3, 1)
    assert [(g.label, g.missed, g.of) for g in t.goals] == [
        ("image learner/alpine:${tag} exists on laptop", 1, 3), ("the registry has learner/alpine:${tag}", 2, 3)]
    assert [(f.pattern, f.learners) for f in t.forbidden] == [("push -a", 1)]
    # bob's spaced-out push is the solution's line once whitespace is collapsed; cy typed hers twice: one learner
    assert [(w.command, w.learners, w.failed) for w in t.wrong_commands] == [
        ("docker push alpine", 2, 2), ("docker push -a learner/alpine", 1, 0)]


def test_a_command_is_shown_whitespace_collapsed_and_cut_to_a_bounded_length() -> None:
    assert command_text("  docker\tpush   learner/x ") == "docker push learner/x"
    long = command_text("docker tag alpine " + "x" * 500)
    assert len(long) == COMMAND_CHARS and long.endswith("...")


def test_task_rows_regrade_the_commonest_distinct_answers_first_and_no_more_than_the_bound() -> None:
    grader = Grader()
    right = ("docker tag alpine learner/alpine:1.0", "docker push learner/alpine:1.0")
    stored = ([AnswerRow("push", 0, f"r{i}", True, right) for i in range(3)]
              + [AnswerRow("push", 0, "w", False, ("docker push learner/alpine:1.0",)),
                 AnswerRow("push", 0, "f", False, ("docker push -a learner/alpine",))])
    done = {r.learner: r.task for r in task_rows(grader, TASK, stored, max_replays=1)}
    assert done["r0"] == done["r2"] and done["r0"].goals == (True, True) and done["r0"].exit_codes == (0, 0)
    assert (done["w"].commands, done["w"].goals) == (("docker push learner/alpine:1.0",), ()), \
        "past the bound: read, not replayed"
    assert done["f"].forbidden == (0,), "a forbidden pattern is found without a replay"
    replayed = {r.learner: r.task for r in task_rows(grader, TASK, stored)}
    assert (replayed["w"].goals, replayed["w"].exit_codes) == ((False, False), (1,))
