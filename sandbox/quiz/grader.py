"""Keys and grades by replay: a question's setup runs once per variant in a fresh sandbox, then each choice, command or
answer runs in its own fork of that world, and the state checks and exit codes decide.

A ``Grader`` caches what it replayed (setups and keys per question and variant, task answers in a bounded LRU), so
grading a class costs one setup per question variant plus one fork per distinct task answer. Grading is pure: the
sandbox is deterministic, so the same question and answer always give the same grade, and a ``GradeMemo`` hands
back the grade (feedback, evidence and events included) of an answer it already graded in the same variant and
choice order. A malformed answer scores 0 with a ``reason``; no answer can make the grader raise.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping

from sandbox import Sandbox
from sandbox.errors import SandboxError
from sandbox.quiz.checks import evaluate
from sandbox.quiz.commands import familiar, split_prompt, violates, words
from sandbox.quiz.hosts import host_warnings
from sandbox.quiz.memo import GradeMemo
from sandbox.quiz.shuffle import ChoiceOrder, choice_order
from sandbox.quiz.model import (
    LETTER_KINDS,
    MAX_LINE_CHARS,
    MAX_TEXT_CHARS,
    Answer,
    Command,
    Grade,
    Key,
    Outcome,
    Problem,
    Question,
    Quiz,
    QuizGrade,
    StateCheck,
)
from sandbox.quiz.variables import assignment, resolve, variant_count, variant_for

#: Lines of a command's stdout (and of its stderr) that evidence shows before it says how many more there were.
EVIDENCE_LINES = 8
#: Event explanations feedback quotes at most.
EVIDENCE_EVENTS = 12
_SPACE = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class Finding:
    """What ``check`` found for one variant of one question: the computed key beside the author's answer."""

    quiz_id: str
    question_id: str
    kind: str
    variant: int
    values: tuple[tuple[str, str], ...]
    computed: str
    believed: str
    problems: tuple[str, ...]
    path: str = ""
    line: int = 0
    #: What is likely a mistake but may be meant (a host named once); ``check`` prints them and still exits 0.
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the key agrees with the author and nothing else is wrong."""
        return not self.problems


@dataclass(frozen=True)
class TaskDetail:
    """What one answer to a ``task`` did, as data rather than feedback prose (the class report counts these).

    ``goals`` and ``exit_codes`` are empty when the answer was not replayed: it could not be read (``reason``) or a
    command hit a ``forbid`` rule (``forbidden`` holds the index of every rule some command hits; grading names the
    first)."""

    #: The command lines as the grader read them, written as the key writes the solution's (blank and comment lines
    #: dropped; ``server$ `` in front of a line typed on another host than the question's).
    commands: tuple[str, ...] = ()
    #: Each command's exit code in the replay, in order.
    exit_codes: tuple[int, ...] = ()
    #: Per goal of the question, in order: met after the replay.
    goals: tuple[bool, ...] = ()
    forbidden: tuple[int, ...] = ()
    reason: str | None = None


@dataclass(frozen=True)
class _TaskRun:
    """One replayed task answer, without its world: what the LRU keeps."""

    goals: tuple[bool, ...]
    exit_codes: tuple[int, ...]
    evidence: tuple[str, ...]
    events: tuple[str, ...]


@dataclass(frozen=True)
class _Replayed:
    """A world after some commands, the last outcome per host, the outcomes in order, and how many events the world
    had before them (later ones are what these commands caused). Only ever forked, never run in again."""

    world: Sandbox
    last: dict[str, Outcome]
    outcomes: tuple[Outcome, ...]
    events_before: int = 0


class Grader:
    """Replays questions and grades answers, caching setups per (question, variant).

    ``world`` makes a fresh sandbox (the default world: Docker Hub, the accounts, host ``laptop``); ``memo`` holds
    the grades already given (a bounded one by default).
    """

    def __init__(self, world: Callable[[], Sandbox] = Sandbox, *, answer_cache: int = 4096,
                 memo: GradeMemo | None = None) -> None:
        self.memo = memo if memo is not None else GradeMemo()
        self._new_world = world
        self._resolved: dict[tuple[int, int], tuple[Question, Question]] = {}
        self._setups: dict[tuple[int, int], tuple[Question, _Replayed, tuple[str, ...]]] = {}
        self._keys: dict[tuple[int, int], tuple[Question, Key, dict[str, Any]]] = {}
        self._answers: OrderedDict[tuple, tuple[Question, tuple]] = OrderedDict()
        self._answer_cache = answer_cache

    # -- variants ---------------------------------------------------------------------------------------------------
    def variant(self, quiz_id: str, question: Question, learner: str | None) -> int:
        """The variant of ``question`` that ``learner`` gets (0 without vars or learner)."""
        return variant_for(quiz_id, question.id, learner, variant_count(question))

    def resolved(self, question: Question, variant: int = 0) -> Question:
        """``question`` with its placeholders filled in for ``variant`` (cached)."""
        if question.variant is not None:
            return question
        slot = (id(question), variant)
        hit = self._resolved.get(slot)
        if hit is None or hit[0] is not question:
            hit = (question, resolve(question, variant))
            self._resolved[slot] = hit
        return hit[1]

    # -- replay -----------------------------------------------------------------------------------------------------
    def _setup(self, question: Question, variant: int) -> tuple[_Replayed, tuple[str, ...]]:
        slot = (id(question), variant)
        hit = self._setups.get(slot)
        if hit is None or hit[0] is not question:
            q = self.resolved(question, variant)
            world = self._new_world()
            host = world.host(q.host)
            for name, content in q.files:
                host.write_file(name, content)
            ran = _run(_Replayed(world, {}, ()), q.setup, q.host, fork=False)
            # Explanations of later forks quote the setup's events only when they concern the subjects at hand.
            replayed = _Replayed(ran.world, ran.last, ran.outcomes, len(world.events))
            problems = tuple(
                Problem(f"setup command {o.shown!r} {'succeeded' if o.exit_code == 0 else 'failed'} "
                        f"(exit code {o.exit_code}{': ' + _first(o.stderr) if o.stderr.strip() else ''})"
                        + (" but is marked 'fails: true'" if c.fails else ""), c.where)
                for c, o in zip(q.setup, ran.outcomes)
                if (o.exit_code != 0) != c.fails
            )
            hit = (question, replayed, problems)
            self._setups[slot] = hit
        return hit[1], hit[2]

    def key(self, question: Question, variant: int = 0) -> Key:
        """The key the replay decides for ``variant`` of ``question``, with its evidence and any problems."""
        return self._key(question, variant)[0]

    def _key(self, question: Question, variant: int) -> tuple[Key, dict[str, Any]]:
        slot = (id(question), variant)
        hit = self._keys.get(slot)
        if hit is None or hit[0] is not question:
            key, detail = self._compute_key(question, variant)
            hit = (question, key, detail)
            self._keys[slot] = hit
        return hit[1], hit[2]

    def _compute_key(self, question: Question, variant: int) -> tuple[Key, dict[str, Any]]:
        q = self.resolved(question, variant)
        if q.kind == "choice":
            return Key(q.id, variant, q.answer), {}
        base, problems = self._setup(question, variant)
        transcript = _transcript(base.outcomes, q.host)
        detail: dict[str, Any] = {"base": base}
        if q.kind in ("which-fails", "which-succeeds"):
            want_failure = q.kind == "which-fails"
            by_choice, forks = [], {}
            for c in q.choices:
                after = _run(base, (c.command,), q.host)
                forks[c.key] = after
                by_choice.append((c.key, _transcript(after.outcomes, q.host)))
            picked = tuple(k for k, r in forks.items() if (r.outcomes[-1].exit_code != 0) == want_failure)
            detail["forks"] = forks
            verb = "fail" if want_failure else "succeed"
            return Key(q.id, variant, _letters_value(q, picked), transcript, tuple(by_choice),
                       problems + _selection_problems(q, picked, verb)), detail
        if q.kind == "outcome":
            by_choice, results = [], {}
            for c in q.choices:
                checked = tuple(evaluate(h, base.world, q.host, base.last) for h in c.holds)
                results[c.key] = checked
                by_choice.append((c.key, tuple(r.line(q.host) for r in checked)))
            picked = tuple(k for k, rs in results.items() if all(r.met for r in rs))
            detail["results"] = results
            return Key(q.id, variant, _letters_value(q, picked), transcript, tuple(by_choice),
                       problems + _selection_problems(q, picked, "hold")), detail
        if q.kind == "output":
            after = _run(base, (q.command,), q.host)
            o = after.outcomes[-1]
            detail["after"] = after
            value: Answer = o.exit_code if q.ask == "exit-code" else getattr(o, q.ask)
            if isinstance(value, str):
                value = value.rstrip("\n")
            return Key(q.id, variant, value, transcript, (("", _transcript(after.outcomes, q.host)),), problems), detail
        # task: the solution must earn full marks and doing nothing must not
        after = _run(base, q.solution, q.host)
        goals = tuple(evaluate(g, after.world, q.host, after.last) for g in q.goal)
        idle = tuple(evaluate(g, base.world, q.host, base.last) for g in q.goal)
        detail.update(after=after, goals=goals)
        task_problems = list(problems) + list(_forbidden_solution(q))
        missed = [r for r in goals if not r.met]
        if missed:
            task_problems.append(Problem(
                f"the solution meets {len(goals) - len(missed)} of {len(goals)} goals; not met: "
                + "; ".join(r.line(q.host) for r in missed), missed[0].check.where))
        if all(r.met for r in idle):
            task_problems.append(Problem("an empty answer already meets every goal", q.goal[0].where))
        solution = tuple(c.shown(q.host).removeprefix("$ ") for c in q.solution)
        return Key(q.id, variant, solution, transcript, (("", _transcript(after.outcomes, q.host)),),
                   tuple(task_problems)), detail

    # -- grading ----------------------------------------------------------------------------------------------------
    def grade(self, question: Question, answer: Any, *, quiz_id: str = "", learner: str | None = None,
              variant: int | None = None, reveal: bool = True) -> Grade:
        """Grade one answer; ``variant`` defaults to the learner's. Never raises for any ``answer``.

        Without ``reveal`` (a learner with attempts left), the feedback keeps what gives the key away out: the key
        in the verdict, the explanation, and the evidence of choices the learner did not pick and of an output
        question's command; the evidence of the learner's own answer stays. ``key`` is still set, for the record.
        """
        if variant is None:
            variant = self.variant(quiz_id, question, learner)
        q = self.resolved(question, variant)
        order = choice_order(quiz_id, q, variant, learner)
        slot = self.memo.key(question, quiz_id, variant, order.shown, reveal, answer)
        if slot is not None:
            known = self.memo.get(question, slot)
            if known is not None:
                return known
        key, detail = self._key(question, variant)
        shown = _plain(answer)
        if q.kind in LETTER_KINDS:
            picked, _ = _parse_letters(q, answer)
            if picked is not None:  # stored and counted in the author's letters, whatever order the learner saw
                authors = tuple(sorted(order.author(x) for x in picked))
                shown = authors[0] if q.select == "one" else authors
        grading = _GRADERS[q.kind]
        score, correct, evidence, events, reason = grading(self, question, q, variant, key, detail, answer, order,
                                                           reveal)
        score = round(min(max(score, 0.0), 1.0) * q.points, 4)
        verdict = _verdict(q, score, correct, key, reason, order, reveal or correct)
        parts = [verdict]
        if q.explain.strip() and (reveal or correct):
            parts.append(q.explain.strip())
        if evidence:
            parts.append("What the sandbox did:\n" + "\n".join("  " + line for line in evidence))
        if events:
            parts.append("Why, from the sandbox's log:\n" + "\n".join(f"  - {e}" for e in events))
        graded = Grade(
            quiz_id=quiz_id,
            question_id=q.id,
            variant=variant,
            score=score,
            max_score=float(q.points),
            correct=correct,
            answer=shown,
            key=key.value,
            feedback="\n\n".join(parts),
            explain=q.explain.strip(),
            evidence=tuple(evidence),
            events=tuple(events),
            reason=reason,
            order=order.shown if order.shuffled else (),
        )
        if slot is not None:
            self.memo.put(question, slot, graded)
        return graded

    def grade_quiz(self, quiz: Quiz, answers: Mapping[str, Any], *, learner: str | None = None) -> QuizGrade:
        """Grade a learner's answers (question id -> answer) to every question of ``quiz``; missing ones score 0."""
        if not isinstance(answers, Mapping):
            answers = {}
        grades = tuple(
            self.grade(q, answers.get(q.id), quiz_id=quiz.id, learner=learner) for q in quiz.questions
        )
        return QuizGrade(quiz.id, learner, grades)

    # -- the author's check -----------------------------------------------------------------------------------------
    def check(self, quiz: Quiz, only: str | None = None) -> tuple[Finding, ...]:
        """Replay every question (or question ``only``) and variant of ``quiz``: computed keys beside the author's
        answers, with problems."""
        found = []
        for question in quiz.questions:
            if only is not None and question.id != only:
                continue
            warnings = host_warnings(question)
            for v in range(variant_count(question)):
                q = self.resolved(question, v)
                key, detail = self._key(question, v)
                problems = list(key.problems)
                believed = _show(q.answer)
                computed = _show(key.value)
                if q.kind in ("which-fails", "which-succeeds", "outcome"):
                    if _as_set(key.value) != _as_set(q.answer):
                        problems.append(Problem(f"the replay gives {computed}, the file says answer: {believed}",
                                                q.answer_where))
                elif q.kind == "output":
                    if not _same_output(q, key.value, q.answer):
                        problems.append(Problem(f"the replay prints {computed!r}, the file says answer: "
                                                f"{believed!r}", q.answer_where))
                elif q.kind == "task":
                    goals = detail["goals"]
                    met = sum(r.met for r in goals)
                    computed = f"solution meets {met}/{len(goals)} goals"
                    believed = "all goals"
                found.append(Finding(
                    quiz.id, q.id, q.kind, v, tuple(assignment(question, v).items()), computed, believed,
                    tuple(problems), quiz.path, question.where.line if question.where else 0,
                    warnings if v == 0 else (),
                ))
        return tuple(found)

    # -- task answers -----------------------------------------------------------------------------------------------
    def task_detail(self, question: Question, answer: Any, *, variant: int = 0, replay: bool = True) -> TaskDetail:
        """What ``answer`` to ``variant`` of the task ``question`` did: its commands, their exit codes, each goal met
        or not, the ``forbid`` rules hit. The same parsing, rules and replay (and replay cache) as ``grade``; without
        ``replay`` only the reading and the rules (no exit codes, no goals), which cost no sandbox. Never raises for
        any ``answer``; raises ``ValueError`` for a question that is not a task."""
        if question.kind != "task":
            raise ValueError(f"question {question.id!r} is a {question.kind} question, not a task")
        q = self.resolved(question, variant)
        commands, reason = _parse_commands(q, answer)
        if commands is None:
            return TaskDetail(reason=reason)
        typed = tuple(c.shown(q.host).removeprefix("$ ") for c in commands)  # as the key shows the solution
        hits = _forbidden(q, commands)
        if hits:
            return TaskDetail(typed, forbidden=tuple(sorted({i for i, _ in hits})), reason=hits[0][1])
        if not replay:
            return TaskDetail(typed)
        self._key(question, variant)  # a task's setup problems are the author's, not the answer's; keys come first
        run = self._task_replay(question, q, variant, commands)
        return TaskDetail(typed, run.exit_codes, run.goals)

    def _task_replay(self, question: Question, q: Question, variant: int, commands: tuple[Command, ...]) -> _TaskRun:
        """Goals met, exit codes, evidence and explanations for one answer; kept in a bounded LRU, without the
        world."""
        slot = (id(question), variant, tuple((c.on, c.line) for c in commands))
        hit = self._answers.get(slot)
        if hit is not None and hit[0] is question:
            self._answers.move_to_end(slot)
            return hit[1]
        base, _ = self._setup(question, variant)
        after = _run(base, commands, q.host)
        goals = tuple(evaluate(g, after.world, q.host, after.last) for g in q.goal)
        evidence = _transcript(after.outcomes, q.host) + ("goals:",) + tuple(r.line(q.host) for r in goals)
        events = tuple(_explanations([after], _subjects((c.line for c in commands), q.goal)))
        result = _TaskRun(tuple(r.met for r in goals), tuple(o.exit_code for o in after.outcomes), evidence, events)
        self._answers[slot] = (question, result)
        if len(self._answers) > self._answer_cache:
            self._answers.popitem(last=False)
        return result


def check(quiz: Quiz, grader: Grader | None = None) -> tuple[Finding, ...]:
    """``Grader().check(quiz)``: every variant's key beside the author's answer."""
    return (grader or Grader()).check(quiz)


def grade(quiz: Quiz, answers: Mapping[str, Any], learner: str | None = None,
          grader: Grader | None = None) -> QuizGrade:
    """``Grader().grade_quiz(...)``: pass one ``grader`` to share its caches across many learners."""
    return (grader or Grader()).grade_quiz(quiz, answers, learner=learner)


def normalize_output(text: str) -> str:
    """Output as predictions are compared: lines stripped, runs of spaces and tabs made one, blank lines dropped."""
    lines = (_SPACE.sub(" ", line).strip() for line in str(text).splitlines())
    return "\n".join(line for line in lines if line)


# -- replay helpers ---------------------------------------------------------------------------------------------------

def _run(base: _Replayed, commands: Iterable[Command | None], default_host: str, *, fork: bool = True) -> _Replayed:
    world = base.world.fork() if fork else base.world
    last = dict(base.last)
    outcomes = list(base.outcomes) if not fork else []
    for c in commands:
        if c is None:
            continue
        host = c.on or default_host
        result = world.host(host).run(c.line, stdin=c.stdin)
        o = Outcome(host, c.shown(default_host), result.exit_code, result.stdout, result.stderr, result.output,
                    result.chunks)
        last[host] = o
        outcomes.append(o)
    return _Replayed(world, last, tuple(outcomes), len(base.world.events) if fork else 0)


def _first(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


def _transcript(outcomes: Iterable[Outcome], default_host: str) -> tuple[str, ...]:
    lines: list[str] = []
    for o in outcomes:
        lines.append(o.shown)
        lines.extend(_terminal(o))
        lines.append(f"[exit code {o.exit_code}]")
    return tuple(lines)


def _terminal(o: Outcome) -> list[str]:
    """What the command printed, in the order a terminal shows it (``docker run -d`` says ``Unable to find image``
    before the container ID), at most ``EVIDENCE_LINES`` lines of each stream, with a note where each was cut."""
    chunks = o.chunks or (("stdout", o.stdout), ("stderr", o.stderr))
    printed: list[tuple[str, str]] = []
    open_line = False
    for stream, text in chunks:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i == 0 and open_line and printed:
                printed[-1] = (printed[-1][0], printed[-1][1] + part)
            elif i < len(parts) - 1 or part:
                printed.append((stream, part))
        open_line = not text.endswith("\n")
    total = {s: sum(1 for stream, _ in printed if stream == s) for s in ("stdout", "stderr")}
    shown: dict[str, int] = {"stdout": 0, "stderr": 0}
    lines: list[str] = []
    for stream, line in printed:
        shown[stream] += 1
        if shown[stream] <= EVIDENCE_LINES:
            lines.append(line)
        elif shown[stream] == EVIDENCE_LINES + 1:
            lines.append(f"... ({total[stream] - EVIDENCE_LINES} more lines)")
    return lines


@lru_cache(maxsize=4096)
def _line_subjects(line: str) -> frozenset[str]:
    """What a command line is about: its operands after ``docker SUBCOMMAND``, as typed and in familiar form."""
    try:
        w = words(line)
    except SandboxError:
        return frozenset()
    found: set[str] = set()
    for word in w[2:]:
        if not word.startswith("-") and len(word) < 300:
            found.add(word)
            found.add(familiar(word))
    return frozenset(found)


def _subjects(lines: Iterable[str], checks: Iterable[StateCheck] = ()) -> set[str]:
    found: set[str] = set()
    for line in lines:
        found |= _line_subjects(line)
    for c in checks:
        for s in (c.subject, c.same_as):
            if s:
                found.add(s)
                found.add(familiar(s))
    return found


def _explanations(replays: Iterable[_Replayed], subjects: set[str]) -> list[str]:
    """Event texts about ``subjects`` from the shared past, then every event each replay itself caused."""
    texts: list[str] = []
    for r in replays:
        events = tuple(r.world.events)
        for i, e in enumerate(events):
            if (e.subject in subjects or i >= r.events_before) and e.text and e.text not in texts:
                texts.append(e.text)
    return texts[:EVIDENCE_EVENTS]


# -- answers ----------------------------------------------------------------------------------------------------------

def _plain(answer: Any) -> Answer:
    """The answer as a gradebook can store it: text, a number, a tuple of texts, or its repr."""
    if answer is None or isinstance(answer, str) or (isinstance(answer, int) and not isinstance(answer, bool)):
        return answer[:MAX_TEXT_CHARS] if isinstance(answer, str) else answer
    if isinstance(answer, (list, tuple)) and all(isinstance(a, str) for a in answer):
        return tuple(a[:MAX_LINE_CHARS] for a in answer[:1000])
    return repr(answer)[:200]


def _letters_value(q: Question, picked: tuple[str, ...]) -> Answer:
    if q.select == "one" and len(picked) == 1:
        return picked[0]
    return tuple(sorted(picked))


def _selection_problems(q: Question, picked: tuple[str, ...], verb: str) -> tuple[str, ...]:
    if q.select == "one" and len(picked) != 1:
        which = ", ".join(picked) if picked else "none"
        return (Problem(f"ambiguous: with select: one exactly one choice must {verb}, the replay finds {len(picked)} "
                        f"({which})", q.answer_where),)
    if q.select == "many" and not picked:
        return (Problem(f"no choice {verb}s in the replay; a select: many question needs at least one",
                        q.answer_where),)
    return ()


def _forbidden_solution(q: Question) -> tuple[Problem, ...]:
    """A solution command a ``forbid`` rule matches: the grader would give the solution, and every learner who
    answers like it, 0 without a replay."""
    found = []
    for c in q.solution:
        for i, rule in enumerate(q.forbid):
            if violates(rule, c.line):
                found.append(Problem(f"{c.line!r} uses {rule.pattern!r}, which forbid[{i}] refuses: the solution "
                                     "itself would score 0, and so would every learner who answers like it",
                                     c.where))
    return tuple(found)


def _as_set(value: Answer) -> frozenset:
    if isinstance(value, tuple):
        return frozenset(value)
    return frozenset([value]) if value is not None else frozenset()


def _show(value: Answer) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _parse_letters(q: Question, answer: Any) -> tuple[tuple[str, ...] | None, str | None]:
    options = q.letters
    if answer is None or answer == "" or answer == [] or answer == ():
        return None, "no answer"
    if isinstance(answer, str):
        parts = [p for p in re.split(r"[\s,]+", answer.strip().lower()) if p]
    elif isinstance(answer, (list, tuple)) and all(isinstance(a, str) for a in answer):
        parts = [a.strip().lower() for a in answer]
    else:
        return None, f"expected {'one choice letter' if q.select == 'one' else 'a list of choice letters'}, " \
                     f"got {type(answer).__name__}"
    unknown = [p for p in parts if p not in options]
    if unknown:
        return None, f"unknown choice {unknown[0][:20]!r}; expected one of {', '.join(options)}"
    if q.select == "one" and len(parts) != 1:
        return None, f"expected one choice letter, got {len(parts)}"
    if len(set(parts)) != len(parts):
        return None, "a choice is given twice"
    return tuple(sorted(parts)), None


def partial_credit(picked: Iterable[str], key: Iterable[str]) -> float:
    """``scoring: partial``: right picks minus wrong picks over the number of right choices, floored at 0 (the
    "PC" method of PrairieLearn's ``pl-checkbox``): with key {a, c}, [a] scores 0.5, [a, b] 0, [a, c] 1."""
    picked, key = frozenset(picked), frozenset(key)
    if not key:
        return float(not picked)
    return max(0.0, (len(picked & key) - len(picked - key)) / len(key))


def _grade_letters(grader: Grader, template: Question, q: Question, variant: int, key: Key,
                   detail: dict[str, Any], answer: Any, order: ChoiceOrder, reveal: bool = True):
    labels, reason = _parse_letters(q, answer)
    picked = None if labels is None else tuple(order.author(x) for x in labels)
    keyset = _as_set(key.value)
    correct = picked is not None and frozenset(picked) == keyset
    score = float(correct)
    if picked is not None and q.scoring == "partial":
        score = partial_credit(picked, keyset)
    if q.kind == "choice":
        return score, correct, [], [], reason
    relevant = sorted(keyset | frozenset(picked or ()) if reveal or correct else frozenset(picked or ()),
                      key=order.label)
    evidence: list[str] = []
    by_choice = dict(key.by_choice)
    for letter in relevant:
        lines = by_choice.get(letter, ())
        label = order.label(letter)
        evidence.extend(f"{label}) {line}" if i == 0 else f"   {line}" for i, line in enumerate(lines))
    if q.kind == "outcome":
        checks = [h for c in q.choices if c.key in relevant for h in c.holds]
        events = _explanations([detail["base"]], _subjects((c.line for c in q.setup), checks))
        if evidence:
            evidence = ["after the setup:"] + evidence
    else:
        forks = [detail["forks"][k] for k in relevant]
        lines = [q.choice(k).command.line for k in relevant]
        events = _explanations(forks, _subjects(lines))
    return score, correct, evidence, events, reason


def _same_output(q: Question, computed: Answer, given: Any) -> bool:
    if q.ask == "exit-code":
        return _exit_code(given) == computed
    return isinstance(given, (str, int)) and normalize_output(str(given)) == normalize_output(str(computed))


def _exit_code(given: Any) -> int | None:
    if isinstance(given, bool):
        return None
    if isinstance(given, int):
        return given
    if isinstance(given, str) and given.strip().isascii() and given.strip().isdigit() and len(given.strip()) < 4:
        return int(given.strip())
    return None


def _grade_output(grader: Grader, template: Question, q: Question, variant: int, key: Key,
                  detail: dict[str, Any], answer: Any, order: ChoiceOrder, reveal: bool = True):
    reason = None
    if answer is None or (isinstance(answer, str) and not answer.strip() and q.ask == "exit-code"):
        reason = "no answer"
    elif q.ask == "exit-code" and _exit_code(answer) is None:
        reason = f"expected an exit code (a whole number from 0 to 255), got {_plain(answer)!r}"
    elif q.ask != "exit-code" and not isinstance(answer, (str, int)) or isinstance(answer, bool):
        reason = f"expected the predicted output as text, got {type(answer).__name__}"
    correct = reason is None and _same_output(q, key.value, answer)
    if not (reveal or correct):  # what the command printed is the key itself
        return float(correct), correct, [], [], reason
    after = detail["after"]
    evidence = list(_transcript(after.outcomes, q.host))
    events = _explanations([after], _subjects([q.command.line]))
    return float(correct), correct, evidence, events, reason


def _parse_commands(q: Question, answer: Any) -> tuple[tuple[Command, ...] | None, str | None]:
    if answer is None:
        return None, "no answer"
    if isinstance(answer, str):
        if len(answer) > MAX_TEXT_CHARS:
            return None, f"the answer is longer than {MAX_TEXT_CHARS} characters"
        raw = answer.splitlines()
    elif isinstance(answer, (list, tuple)):
        raw = list(answer)
    else:
        return None, f"expected command lines, got {type(answer).__name__}"
    if len(raw) > 4 * q.max_commands + 100:
        return None, f"{len(raw)} lines; this task allows at most {q.max_commands} commands"
    commands = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, str):
            return None, f"command {i} is {type(item).__name__}, not a command line"
        text = item.strip()
        if not text or text.startswith("#"):
            continue
        if len(text) > MAX_LINE_CHARS or "\n" in text:
            return None, f"command {i} is not one line of at most {MAX_LINE_CHARS} characters"
        on, line = split_prompt(text)
        if not line:
            continue
        commands.append(Command(line, on))
    if len(commands) > q.max_commands:
        return None, f"{len(commands)} commands; this task allows at most {q.max_commands}"
    if not commands:
        return None, "no commands given"
    return tuple(commands), None


def _grade_task(grader: Grader, template: Question, q: Question, variant: int, key: Key,
                detail: dict[str, Any], answer: Any, order: ChoiceOrder, reveal: bool = True):
    commands, reason = _parse_commands(q, answer)
    if commands is None:
        return 0.0, False, [], [], reason
    hits = _forbidden(q, commands)
    if hits:
        return 0.0, False, [], [], hits[0][1]
    run = grader._task_replay(template, q, variant, commands)
    met = sum(run.goals)
    return met / len(run.goals), met == len(run.goals), list(run.evidence), list(run.events), None


def _forbidden(q: Question, commands: tuple[Command, ...]) -> list[tuple[int, str]]:
    """(index of the rule, why) for each command and ``forbid`` rule it breaks, in command then rule order."""
    hits = []
    for c in commands:
        for i, rule in enumerate(q.forbid):
            if violates(rule, c.line):
                because = f" ({rule.because})" if rule.because else ""
                hits.append((i, f"{c.line!r} uses {rule.pattern!r}, which this task forbids{because}"))
    return hits


_GRADERS: dict[str, Callable[..., tuple[float, bool, list[str], list[str], str | None]]] = {
    "which-fails": _grade_letters,
    "which-succeeds": _grade_letters,
    "outcome": _grade_letters,
    "choice": _grade_letters,
    "output": _grade_output,
    "task": _grade_task,
}


def _verdict(q: Question, score: float, correct: bool, key: Key, reason: str | None, order: ChoiceOrder,
             reveal: bool = True) -> str:
    of = f"{score:g}/{q.points:g}"
    if reason:
        return f"Not graded ({of}): {reason}."
    if correct:
        return f"Correct ({of})."
    if not reveal and q.kind != "task":
        return f"Partly right ({of})." if score else f"Incorrect ({of})."
    if q.kind == "task":
        return f"Partly done ({of})." if score else f"Not done ({of})."
    if q.kind == "output" and q.ask == "exit-code":
        return f"Incorrect ({of}); the exit code is {key.value}."
    if q.kind == "output":
        where = "" if q.ask == "output" else f" on {q.ask}"
        return f"Incorrect ({of}); the command printed{where}:\n{key.value}"
    letters = order.labelled(_as_set(key.value))
    answer = letters[0] if q.select == "one" and len(letters) == 1 else _show(letters)
    if score:
        return f"Partly right ({of}); the answer is {answer}."
    return f"Incorrect ({of}); the answer is {answer}."
