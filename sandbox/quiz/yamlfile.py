"""An instructor's YAML file as a node tree that keeps line numbers, and a reader that fails on the first problem
with ``FILE:LINE: field 'PATH': what was expected``: shared by quiz files (``loader.py``), submission files and the
course file (``sandbox/course/policy.py``), so every YAML file of the project is read as safely and speaks alike.

Files are parsed with ``yaml.compose`` and PyYAML's safe loader (libyaml's when present, ten times faster on a file
at the size cap): that yields a node tree that keeps line numbers and constructs nothing, so no tag in a file can
ever run Python. ``NodeReader`` walks that tree itself: strings are taken as written (``on``, ``no``, ``1.10`` stay
strings, as YAML 1.2 editors show them), and any tag besides the core ones is refused before anything is read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sandbox.quiz.errors import YamlFileError
from sandbox.suggest import closest

TAG = "tag:yaml.org,2002:"
#: Tags a file may use; anything else (``!!python/object``, ``!custom``) is refused before it is read.
CORE_TAGS = frozenset(TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
SCALARS = SafeConstructor()
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Deeper nesting than this is refused: no format of ours needs it, and Python's recursion would.
MAX_DEPTH = 100


class Kind:
    """What one kind of file is called in messages, and the error it raises (quiz files, course files...)."""

    def __init__(self, error: type[YamlFileError], noun: str, plural: str, cap_bytes: int, max_nodes: int) -> None:
        self.error, self.noun, self.plural = error, noun, plural
        self.cap_bytes, self.max_nodes = cap_bytes, max_nodes


def compose(text: str, path: str, kind: Kind) -> Node | None:
    """The node tree of ``text`` (None for an empty file); raises ``kind.error`` for what is not one YAML document."""
    if len(text.encode("utf-8", "surrogatepass")) > kind.cap_bytes:
        raise kind.error(path, 1, None, f"the text is larger than the {kind.cap_bytes}-byte cap on {kind.plural}")
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as e:
        raise _syntax_error(path, text, e, kind) from None
    except yaml.reader.ReaderError as e:
        line = text[: e.position].count("\n") + 1
        char = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "\0")
        raise kind.error(path, line, None, f"YAML syntax: the character U+{char:04X} is not allowed in YAML") from None
    except yaml.YAMLError as e:
        raise kind.error(path, 1, None, f"YAML syntax: {e}") from None
    except RecursionError:
        raise kind.error(path, 1, None, "YAML syntax: nesting too deep") from None


def read(path: str | Path, kind: Kind) -> bytes:
    """The bytes of the file at ``path``; raises ``kind.error`` for one over the kind's cap (checked before reading,
    so a huge file is never loaded) or one that cannot be read."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > kind.cap_bytes:
            raise kind.error(name, 1, None, f"the file is {size} bytes; {kind.plural} are capped at {kind.cap_bytes}")
        return Path(path).read_bytes()
    except OSError as e:
        raise kind.error(name, 0, None, f"cannot read the file: {e.strerror or e}") from None


def decode(data: bytes, path: str, kind: Kind) -> str:
    """``data`` as text (UTF-8, optionally with the BOM Windows editors write); raises ``kind.error``."""
    if len(data) > kind.cap_bytes:
        raise kind.error(path, 1, None, f"the file is {len(data)} bytes; {kind.plural} are capped at {kind.cap_bytes}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise kind.error(path, line, None, f"not UTF-8 text (byte 0x{data[e.start]:02x})") from None


def _syntax_error(path: str, text: str, e: yaml.MarkedYAMLError, kind: Kind) -> YamlFileError:
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark else 1
    problem = e.problem or "not valid YAML"
    lines = text.splitlines()
    at = lines[mark.line][mark.column:mark.column + 1] if mark and mark.line < len(lines) else ""
    if at == "\t" or "'\\t'" in problem:
        return kind.error(path, line, None, "YAML syntax: a tab character; YAML indents with spaces only")
    if e.context == "expected a single document in the stream":
        return kind.error(path, line, None, f"YAML syntax: a second document ('---'); one file holds one {kind.noun}")
    if problem == "found undefined alias" and at == "*":
        name = re.match(r"\*([^\s,\]}]*)", lines[mark.line][mark.column:])
        problem = f"found undefined alias {name.group(1)!r}; define it first with &{name.group(1)}"
    if problem.startswith("mapping values are not allowed"):
        problem = "mapping values are not allowed here (text containing ': ' must be quoted or written as a block with | or >)"
    context = ""
    if e.context and e.context_mark and e.context_mark.line + 1 != line:
        context = f" ({e.context} on line {e.context_mark.line + 1})"
    elif e.context:
        context = f" ({e.context})"
    hint = _indentation_hint(lines, e) if mark else ""
    return kind.error(path, line, None, f"YAML syntax: {problem}{context}{hint}")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _indentation_hint(lines: list[str], e: yaml.MarkedYAMLError) -> str:
    """What the author most likely did, for PyYAML's indentation errors: ``; most likely ...``, quoting the line."""
    at = e.problem_mark.line if e.problem_mark else -1
    if not 0 <= at < len(lines):
        return ""
    here = lines[at]
    col = _indent(here) + 1
    shown = f"line {at + 1} is {here.strip()[:60]!r}"
    is_item = here.lstrip(" ").startswith("-")
    start = e.context_mark.line if e.context_mark and e.context_mark.line < len(lines) else None
    if e.problem == "did not find expected '-' indicator" and start is not None:
        first = _indent(lines[start]) + 1
        if is_item:
            return (f"; most likely a list item indented differently from its siblings: {shown}, at column {col}, "
                    f"but the list's first item (line {start + 1}) is at column {first}")
        return (f"; most likely a field indented differently from the fields above it: {shown}, at column {col}; "
                f"a field of the item on line {start + 1} belongs at column {first + 2}, and a new item starts "
                f"with '- ' at column {first}")
    if e.problem == "did not find expected key":
        if is_item:
            sibling = next((i for i in range(at - 1, -1, -1) if lines[i].lstrip(" ").startswith("- ")), None)
            if sibling is not None and _indent(lines[sibling]) != col - 1:
                return (f"; most likely a list item indented differently from its siblings: {shown}, at column "
                        f"{col}, but the item on line {sibling + 1} is at column {_indent(lines[sibling]) + 1}")
            return f"; most likely a list item where a field was expected: {shown}; indent it under its field"
        above = next((i for i in range(at - 1, -1, -1) if ":" in lines[i] and not lines[i].lstrip(" ").startswith(
            ("-", "#"))), None)
        if above is not None:
            return (f"; most likely a field indented differently from its siblings: {shown}, at column {col}, but "
                    f"the field on line {above + 1} is at column {_indent(lines[above]) + 1}")
    if e.problem.startswith("mapping values are not allowed") and at > 0:
        above = next((i for i in range(at - 1, -1, -1) if lines[i].strip()), None)
        if above is not None and _indent(lines[above]) < col - 1 and ": " in lines[above]:
            return (f"; or a field indented more than the field above it: {shown}, at column {col}, line "
                    f"{above + 1} at column {_indent(lines[above]) + 1}")
    return ""


def kind_of(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == TAG + "null":
        return "nothing (null)"
    return repr(node.value)


def choices_text(options: Iterable[str]) -> str:
    return ", ".join(options)


class NodeReader:
    """Walks one composed file, failing on the first problem with its line and field; a format subclasses it."""

    #: What the file is called in messages and the error it raises; a subclass sets its own.
    kind: Kind
    #: The longest one-line value (an id, one of a set of words) read before it is refused as too long.
    text_cap = 4096

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: Node, field: str | None, problem: str) -> YamlFileError:
        return self.kind.error(self.path, node.start_mark.line + 1, field, problem)

    def vet(self, root: Node) -> None:
        """Refuse foreign tags and alias bombs before reading anything."""
        sizes: dict[int, int] = {}
        cap = self.kind.max_nodes

        def size(node: Node, depth: int) -> int:
            if id(node) in sizes:
                return sizes[id(node)]
            if depth > MAX_DEPTH:
                raise self.fail(node, None, f"nesting deeper than {MAX_DEPTH} levels")
            if node.tag not in CORE_TAGS:
                if node.tag == TAG + "merge":
                    raise self.fail(node, None, "merge keys ('<<') are not supported; write the fields out")
                shown = node.tag.replace(TAG, "!!")
                raise self.fail(node, None, f"the YAML tag {shown!r} is not allowed in a {self.kind.noun} file")
            n = 1
            if isinstance(node, SequenceNode):
                n += sum(size(c, depth + 1) for c in node.value)
            elif isinstance(node, MappingNode):
                n += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
            sizes[id(node)] = n
            if n > cap:
                raise self.fail(node, None, f"more than {cap} values once aliases are expanded")
            return n

        size(root, 0)

    def mapping(self, node: Node, field: str, allowed: Iterable[str], required: Iterable[str] = (),
                why: dict[str, str] | None = None) -> dict[str, tuple[Node, Node]]:
        """The mapping at ``node`` as name -> (key node, value node), refusing unknown, missing and repeated keys;
        an unknown key gets the nearest allowed one as a did-you-mean (or ``why[key]`` when given)."""
        if not isinstance(node, MappingNode):
            raise self.fail(node, field or None, f"expected a mapping, got {kind_of(node)}")
        allowed = tuple(allowed)
        out: dict[str, tuple[Node, Node]] = {}
        for k, v in node.value:
            sub = f"{field}.{k.value}" if field else str(k.value)
            if not isinstance(k, ScalarNode):
                raise self.fail(k, field or None, "expected a plain name as key")
            if k.value in out:
                raise self.fail(k, sub, f"repeated; it is already given on line {out[k.value][0].start_mark.line + 1}")
            if k.value not in allowed:
                hint = (why or {}).get(k.value)
                if hint is None:
                    close = closest(str(k.value), allowed, scaled=True)
                    hint = f" (did you mean {close!r}?)" if close else ""
                raise self.fail(k, sub, f"unknown field{hint}; expected one of {choices_text(allowed)}")
            out[k.value] = (k, v)
        for name in required:
            if name not in out or is_null(out[name][1]):
                sub = f"{field}.{name}" if field else name
                at = out[name][1] if name in out else node
                raise self.fail(at, sub, "missing; this field is required")
        return out

    def sequence(self, node: Node, field: str, cap: int, *, empty: bool = False) -> list[Node]:
        """The items of the list at ``node``, at most ``cap`` of them (and at least one unless ``empty``)."""
        if not isinstance(node, SequenceNode):
            raise self.fail(node, field, f"expected a list, got {kind_of(node)}")
        if not node.value and not empty:
            raise self.fail(node, field, "expected a non-empty list")
        if len(node.value) > cap:
            raise self.fail(node.value[cap], field, f"more than {cap} items (the cap)")
        return list(node.value)

    def scalar_text(self, node: Node, field: str, *, empty: bool = False, multiline: bool = True,
                    cap: int) -> str:
        """A scalar as written, at most ``cap`` characters (and not blank unless ``empty``)."""
        if not isinstance(node, ScalarNode) or is_null(node):
            raise self.fail(node, field, f"expected text, got {kind_of(node)}")
        value = str(node.value)
        if not value.strip() and not empty:
            raise self.fail(node, field, "expected text, got an empty string")
        if len(value) > cap:
            raise self.fail(node, field, f"{len(value)} characters; the cap is {cap}")
        if not multiline and "\n" in value.strip("\n"):
            raise self.fail(node, field, "expected a single line")
        return value

    def ident(self, node: Node, field: str, pattern: re.Pattern, what: str) -> str:
        """A one-line scalar matching ``pattern`` (``what`` says what it should be in the message)."""
        value = self.scalar_text(node, field, multiline=False, cap=self.text_cap)
        if not pattern.fullmatch(value):
            raise self.fail(node, field, f"expected {what}, got {value!r}")
        return value

    def integer(self, node: Node, field: str, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high``."""
        if not isinstance(node, ScalarNode) or node.tag != TAG + "int":
            raise self.fail(node, field, f"expected a whole number, got {kind_of(node)}")
        value = SCALARS.construct_object(node)
        if not low <= value <= high:
            raise self.fail(node, field, f"expected a whole number from {low} to {high}, got {value}")
        return value

    def boolean(self, node: Node, field: str) -> bool:
        """``true`` or ``false``."""
        if not isinstance(node, ScalarNode) or node.tag != TAG + "bool":
            raise self.fail(node, field, f"expected true or false, got {kind_of(node)}")
        return SCALARS.construct_object(node)

    def one_of(self, node: Node, field: str, options: tuple[str, ...]) -> str:
        """One of ``options``, with the nearest as a did-you-mean otherwise."""
        value = self.scalar_text(node, field, multiline=False, cap=self.text_cap)
        if value not in options:
            close = closest(value, options, scaled=True)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise self.fail(node, field, f"expected one of {choices_text(options)}, got {value!r}{hint}")
        return value


def is_null(node: Node) -> bool:
    """Whether ``node`` is YAML's null (``~``, ``null`` or nothing at all)."""
    return isinstance(node, ScalarNode) and node.tag == TAG + "null"
