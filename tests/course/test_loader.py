"""course.yaml: what loads, and every mistake answered with the file, the line and the field, as quiz files are."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sandbox.course.errors import CourseFileError
from sandbox.course.loader import load_course, parse_course, parse_penalty, parse_time
from sandbox.course.policy import AFTER_DUE, IMMEDIATELY, NEVER

PARIS = timezone(timedelta(hours=1))

GOOD = """\
course: docker-101
title: Sharing Docker images
roster: roster.csv
instructors: [prof, "group:staff"]
teaching_assistants: [tom]
defaults:
  attempts: 3
  keys: after_due
quizzes:
  - file: quizzes/pull.yaml
    opens: 2026-03-02T09:00:00+01:00
    due: 2026-03-09T23:59:00+01:00
    late:
      penalty_per_day: 10%
      cutoff: 2026-03-12T23:59:00+01:00
    feedback: immediately
  - file: quizzes/push.yaml
    due: 2026-03-16T23:59:00Z
    attempts: unlimited
    scores: after_due
    feedback: never
    keys: never
"""


def _write(folder: Path, text: str) -> Path:
    path = folder / "course.yaml"
    path.write_text(text)
    return path


def _error(folder: Path, text: str) -> str:
    with pytest.raises(CourseFileError) as e:
        load_course(_write(folder, text))
    return str(e.value).replace(str(folder) + "/", "")


def test_a_course_file_loads_its_quizzes_roster_and_staff(course_dir: Path) -> None:
    course = load_course(_write(course_dir, GOOD))
    assert (course.id, course.title) == ("docker-101", "Sharing Docker images")
    assert course.instructors == ("prof", "group:staff") and course.teaching_assistants == ("tom",)
    assert course.roster == course_dir / "roster.csv"
    pull, push = course.quizzes
    assert pull.id == "pull" and pull.quiz.title == "Quiz pull" and pull.path == course_dir / "quizzes/pull.yaml"
    assert pull.opens == datetime(2026, 3, 2, 9, tzinfo=PARIS)
    assert pull.due == datetime(2026, 3, 9, 23, 59, tzinfo=PARIS)
    assert pull.late.penalty_per_day == pytest.approx(0.1)
    assert pull.closes == datetime(2026, 3, 12, 23, 59, tzinfo=PARIS)
    assert (pull.attempts, pull.scores, pull.feedback, pull.keys) == (3, IMMEDIATELY, IMMEDIATELY, AFTER_DUE)
    assert push.opens is None and push.late is None and push.closes == push.due
    assert push.due.utcoffset() == timedelta(0)
    assert (push.attempts, push.scores, push.feedback, push.keys) == (None, AFTER_DUE, NEVER, NEVER)
    assert course.quiz("push") is push


def test_the_smallest_course_opens_at_once_never_closes_and_releases_what_needs_no_due_time(course_dir: Path) -> None:
    course = load_course(_write(course_dir, "course: c\ninstructors: [prof]\nquizzes:\n  - file: quizzes/pull.yaml\n"
                                "    keys: immediately\n"))
    (q,) = course.quizzes
    assert (q.opens, q.due, q.late, q.attempts, q.closes) == (None, None, None, None, None)
    assert course.title == "c" and course.roster is None


def test_an_unknown_field_gets_did_you_mean_and_its_line(course_dir: Path) -> None:
    text = GOOD.replace("    feedback: immediately", "    feedbak: immediately")
    assert _error(course_dir, text) == ("course.yaml:16: field 'quizzes[0].feedbak': unknown field (did you mean "
                                        "'feedback'?); expected one of file, opens, due, late, attempts, scores, "
                                        "feedback, keys, extensions, lms")


def test_an_unknown_top_level_field_gets_did_you_mean(course_dir: Path) -> None:
    assert "field 'instructor': unknown field (did you mean 'instructors'?)" in _error(
        course_dir, GOOD.replace("instructors:", "instructor:"))


def test_a_due_time_without_a_zone_is_refused_as_ambiguous(course_dir: Path) -> None:
    text = GOOD.replace("due: 2026-03-09T23:59:00+01:00", "due: 2026-03-09T23:59:00")
    assert _error(course_dir, text) == (
        "course.yaml:12: field 'quizzes[0].due': '2026-03-09T23:59:00' has no time zone, which is ambiguous (the "
        "server's? each learner's?); add the offset, such as 2026-03-09T23:59:00+01:00 (or Z for UTC)")


def test_a_date_alone_is_refused_as_ambiguous(course_dir: Path) -> None:
    assert "field 'quizzes[0].opens': '2026-03-02' is a date without a time and zone" in _error(
        course_dir, GOOD.replace("opens: 2026-03-02T09:00:00+01:00", "opens: 2026-03-02"))


def test_the_due_time_must_come_after_the_opening(course_dir: Path) -> None:
    text = GOOD.replace("opens: 2026-03-02T09:00:00+01:00", "opens: 2026-03-10T09:00:00+01:00")
    assert _error(course_dir, text) == ("course.yaml:12: field 'quizzes[0].due': the due time 2026-03-09 23:59 +01:00 "
                                        "is not after the opening 2026-03-10 09:00 +01:00")


def test_the_late_cutoff_must_not_come_before_the_due_time(course_dir: Path) -> None:
    text = GOOD.replace("cutoff: 2026-03-12T23:59:00+01:00", "cutoff: 2026-03-09T22:00:00Z")
    assert _error(course_dir, text) == ("course.yaml:15: field 'quizzes[0].late.cutoff': the cutoff 2026-03-09 22:00 "
                                        "UTC is before the due time 2026-03-09 23:59 +01:00; late submissions end at "
                                        "or after it")
    # The same instant written in another zone is at the due time, which is allowed (no late window at all).
    load_course(_write(course_dir, GOOD.replace("cutoff: 2026-03-12T23:59:00+01:00", "cutoff: 2026-03-09T22:59:00Z")))


def test_a_late_policy_needs_both_its_fields_and_a_due_time(course_dir: Path) -> None:
    assert "field 'quizzes[0].late.cutoff': missing; this field is required" in _error(
        course_dir, GOOD.replace("      cutoff: 2026-03-12T23:59:00+01:00\n", ""))
    text = GOOD.replace("    due: 2026-03-09T23:59:00+01:00\n", "")
    assert "field 'quizzes[0].late': a late policy needs a due time" in _error(course_dir, text)


def test_quiz_ids_are_unique_across_the_course(course_dir: Path) -> None:
    text = GOOD.replace("file: quizzes/push.yaml", "file: quizzes/../quizzes/pull.yaml")
    assert _error(course_dir, text) == ("course.yaml:17: field 'quizzes[1].file': quiz id 'pull' is already used by "
                                        "quizzes[0] (quizzes/pull.yaml)")


def test_a_missing_quiz_file_is_named(course_dir: Path) -> None:
    assert _error(course_dir, GOOD.replace("quizzes/push.yaml", "quizzes/pusj.yaml")) == (
        "course.yaml:17: field 'quizzes[1].file': no such quiz file: quizzes/pusj.yaml")


def test_a_quiz_file_that_does_not_load_is_named_with_its_own_line(course_dir: Path) -> None:
    (course_dir / "quizzes" / "push.yaml").write_text("quiz: push\ntitle: Push\nquestions: []\n")
    assert _error(course_dir, GOOD) == (
        "course.yaml:17: field 'quizzes[1].file': the quiz file does not load: quizzes/push.yaml:3: field "
        "'questions': expected a non-empty list")


def test_a_roster_that_does_not_import_is_refused_with_its_line(course_dir: Path) -> None:
    (course_dir / "roster.csv").write_text("id,name\nada,Ada\nada,Ada again\n")
    assert _error(course_dir, GOOD) == ("course.yaml:3: field 'roster': the roster does not import: roster.csv:3: "
                                        "column 'id': 'ada' is already on line 2")
    assert "field 'roster': no such file: " in _error(course_dir, GOOD.replace("roster.csv", "rooster.csv"))


@pytest.mark.parametrize("value, problem", [
    ("0", "expected a whole number from 1 to 1000, got 0"),
    ("many", "expected a whole number from 1 to 1000 or 'unlimited', got 'many'"),
    ("2.5", "expected a whole number from 1 to 1000 or 'unlimited', got '2.5'"),
])
def test_attempts_are_a_positive_number_or_unlimited(course_dir: Path, value: str, problem: str) -> None:
    assert _error(course_dir, GOOD.replace("attempts: unlimited", f"attempts: {value}")).endswith(
        f"field 'quizzes[1].attempts': {problem}")


def test_a_release_setting_is_one_of_three_with_did_you_mean(course_dir: Path) -> None:
    assert _error(course_dir, GOOD.replace("keys: never", "keys: after-due")).endswith(
        "field 'quizzes[1].keys': expected one of immediately, after_due, never, got 'after-due' (did you mean "
        "'after_due'?)")


def test_after_due_needs_a_due_time_even_when_it_comes_from_the_defaults(course_dir: Path) -> None:
    text = "course: c\ninstructors: [prof]\ndefaults:\n  keys: after_due\nquizzes:\n  - file: quizzes/pull.yaml\n"
    assert _error(course_dir, text) == (
        "course.yaml:6: field 'quizzes[0].keys': after_due needs a due time, and this quiz has none; add 'due:' or "
        "release it immediately or never")


def test_staff_names_follow_the_hubs_rules(course_dir: Path) -> None:
    assert _error(course_dir, GOOD.replace("[prof,", "[Prof,")).endswith(
        "field 'instructors[0]': JupyterHub lowercases user names as they log in, so 'Prof' would never match; "
        "write 'prof'")
    assert _error(course_dir, GOOD.replace("[prof,", "[a/b,")).endswith(
        "field 'instructors[0]': expected a hub user name (no '/', spaces at either end or control characters), "
        "got 'a/b'")
    assert "field 'instructors[1]': expected a hub group name" in _error(
        course_dir, GOOD.replace('"group:staff"', '"group:"'))
    assert "field 'teaching_assistants[1]': 'tom' is listed twice" in _error(
        course_dir, GOOD.replace("[tom]", "[tom, tom]"))
    assert "field 'instructors': expected a non-empty list" in _error(
        course_dir, GOOD.replace('[prof, "group:staff"]', "[]"))


def test_required_fields_are_named(course_dir: Path) -> None:
    assert _error(course_dir, "course: c\nquizzes:\n  - file: quizzes/pull.yaml\n") == (
        "course.yaml:1: field 'instructors': missing; this field is required")
    assert _error(course_dir, "") == (
        "course.yaml:1: the file is empty; expected a mapping with 'course', 'instructors' and 'quizzes'")


def test_yaml_tags_that_could_run_code_are_refused_before_anything_is_read(course_dir: Path) -> None:
    text = GOOD.replace("title: Sharing Docker images", "title: !!python/object/apply:os.system [echo hi]")
    assert _error(course_dir, text) == ("course.yaml:2: the YAML tag '!!python/object/apply:os.system' is not "
                                        "allowed in a course file")


def test_yaml_syntax_errors_say_where_as_quiz_files_do() -> None:
    with pytest.raises(CourseFileError, match=r"^course.yaml:2: YAML syntax: a tab character"):
        parse_course("course: c\n\tinstructors: [prof]\n", "course.yaml")
    with pytest.raises(CourseFileError, match="one file holds one course"):
        parse_course("course: c\n---\ncourse: d\n", "course.yaml")


@pytest.mark.parametrize("text, expected", [
    ("2026-03-09T23:59:00+01:00", datetime(2026, 3, 9, 23, 59, tzinfo=PARIS)),
    ("2026-03-09T22:59Z", datetime(2026, 3, 9, 22, 59, tzinfo=timezone.utc)),
    ("2026-03-09 23:59:00.250 +0100", datetime(2026, 3, 9, 23, 59, 0, 250000, tzinfo=PARIS)),
    ("2026-03-09T23:59+01", datetime(2026, 3, 9, 23, 59, tzinfo=PARIS)),
])
def test_times_are_iso_8601_with_an_offset(text: str, expected: datetime) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text, problem", [
    ("2026-02-30T10:00Z", "is not a valid time (day is out of range for month)"),
    ("2026-03-09T10:00+24:00", "is not a time zone offset"),
    ("next friday", "expected an ISO 8601 time with its offset"),
])
def test_impossible_times_are_refused(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_time(text)


def test_a_penalty_is_a_fraction_or_a_percent() -> None:
    assert parse_penalty("10%") == pytest.approx(0.1)
    assert parse_penalty("2.5 %") == pytest.approx(0.025)
    assert parse_penalty(0.25) == 0.25
    assert parse_penalty(0) == 0.0
    for bad, problem in ((10, "from 0 to 1"), (float("nan"), "from 0 to 1"), ("150%", "more than 100% a day"),
                         ("ten", "expected a fraction such as 0.1 or a percent")):
        with pytest.raises(ValueError, match=problem):
            parse_penalty(bad)


def test_a_penalty_written_as_a_bare_number_above_one_is_refused_in_the_file(course_dir: Path) -> None:
    assert _error(course_dir, GOOD.replace("penalty_per_day: 10%", "penalty_per_day: 10")).endswith(
        "field 'quizzes[0].late.penalty_per_day': expected a fraction from 0 to 1 (0.1 takes 10% a day) or a percent "
        "such as 10%, got 10")


def test_lms_ids_are_digits(course_dir: Path) -> None:
    text = GOOD.replace("    feedback: immediately\n", "    feedback: immediately\n    lms: {canvas: 'abc'}\n")
    assert _error(course_dir, text).endswith("field 'quizzes[0].lms.canvas': expected the Canvas id of the quiz's "
                                             "column (digits), got 'abc'")
    text = GOOD.replace("    feedback: immediately\n", "    feedback: immediately\n    lms: {moodle: 1}\n")
    assert "field 'quizzes[0].lms.moodle': unknown field; expected one of canvas, blackboard" in _error(course_dir, text)


def test_extensions_give_learners_their_own_due_time(course_dir: Path) -> None:
    text = GOOD.replace("    feedback: immediately\n", "    feedback: immediately\n    extensions:\n"
                        "      ada: 2026-03-11T23:59:00+01:00\n")
    pull = load_course(_write(course_dir, text)).quizzes[0]
    assert pull.extensions == (("ada", datetime(2026, 3, 11, 23, 59, tzinfo=PARIS)),)
    ada = pull.for_learner("ada")
    # Ada's due time moves two days; her late window keeps its three days after it.
    assert (ada.due, ada.closes) == (datetime(2026, 3, 11, 23, 59, tzinfo=PARIS),
                                     datetime(2026, 3, 14, 23, 59, tzinfo=PARIS))
    assert pull.for_learner("grace") is pull
    assert pull.release_at == ada.closes == ada.release_at


@pytest.mark.parametrize("entry, problem", [
    ("nobody: 2026-03-11T23:59:00+01:00", "field 'quizzes[0].extensions.nobody': 'nobody' is not on the roster"),
    ("ada: 2026-03-09T12:00:00+01:00", "field 'quizzes[0].extensions.ada': the extension 2026-03-09 12:00 +01:00 is "
                                       "not after the quiz's due time 2026-03-09 23:59 +01:00"),
    ("ada: 2026-03-11", "field 'quizzes[0].extensions.ada': '2026-03-11' is a date without a time and zone"),
    ("'../x': 2026-03-11T23:59:00+01:00", "field 'quizzes[0].extensions.../x': '../x' is not a learner id"),
])
def test_an_extension_must_be_later_and_for_a_learner_on_the_roster(course_dir: Path, entry: str, problem: str) -> None:
    text = GOOD.replace("    feedback: immediately\n", f"    feedback: immediately\n    extensions:\n      {entry}\n")
    assert problem in _error(course_dir, text)
