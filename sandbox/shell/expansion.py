"""Word expansion (XCU 2.6): tilde, parameters (``$x``, ``${x:-y}`` and family, ``$?``, ``$#``, ``$@``), command
substitution (``$(...)`` and backquotes), arithmetic (``$((...))``), field splitting, pathname expansion against the
machine's files, and quote removal.

A word's raw text is parsed once into parts (cached, so a loop body is not re-parsed each round); the parts are
evaluated each time the word is used. Every piece's length is charged to the word budget *before* the pieces are
joined, so ``x=$x$x`` doubling stops at the cap instead of building gigabytes.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from sandbox.shell.syntax import NAME, ShellSyntaxError, is_number, skip_parens, skip_unit

if TYPE_CHECKING:
    from sandbox.shell.execute import Shell

#: Characters special in a pathname pattern.
GLOB = frozenset("*?[")
_SPECIAL = "@*#?-$!0123456789"


class ExpansionError(Exception):
    """An expansion the shell refuses (``${x y}``, ``${x:?unset}``, bad arithmetic); ``situation`` names the
    flavour message, ``facts`` fill it, ``status`` is the exit status."""

    def __init__(self, situation: str, status: int = 1, **facts: object) -> None:
        super().__init__(situation, facts)
        self.situation, self.status, self.facts = situation, status, facts


# --- parts of a word --------------------------------------------------------------------------------------------
# ("lit", text, quoted) | ("param", body, quoted) | ("cmd", text, quoted) | ("arith", text, quoted)
# | ("tilde", user) | ("empty_quotes",)


@lru_cache(maxsize=8192)
def parts(raw: str) -> tuple[tuple, ...]:
    """The parts of a raw word. Raises `ShellSyntaxError` for an unterminated quote."""
    found: list[tuple] = []
    literal: list[str] = []
    i, n = 0, len(raw)

    def flush() -> None:
        if literal:
            found.append(("lit", "".join(literal), False))
            literal.clear()

    if raw.startswith("~"):
        end = raw.find("/")
        end = n if end == -1 else end
        user = raw[1:end]
        if re.fullmatch(r"[A-Za-z0-9_.-]*", user):
            found.append(("tilde", user))
            i = end
    while i < n:
        ch = raw[i]
        if ch == "'":
            end = raw.find("'", i + 1)
            if end == -1:
                raise ShellSyntaxError(None, 1, quote="'")
            flush()
            found.append(("lit", raw[i + 1:end], True))
            i = end + 1
        elif ch == '"':
            flush()
            i = _double_quoted(raw, i + 1, found)
        elif ch == "\\":
            flush()
            if i + 1 < n:
                found.append(("lit", raw[i + 1], True))
            i += 2
        elif ch == "$" or ch == "`":
            part, j = _dollar(raw, i, quoted=False)
            if part is None:
                literal.append(ch)
                i += 1
            else:
                flush()
                found.append(part)
                i = j
        else:
            literal.append(ch)
            i += 1
    flush()
    return tuple(found)


def _double_quoted(raw: str, i: int, found: list[tuple]) -> int:
    found.append(("empty_quotes",))
    literal: list[str] = []
    n = len(raw)
    while i < n and raw[i] != '"':
        ch = raw[i]
        if ch == "\\" and i + 1 < n and raw[i + 1] in '$`"\\\n':
            if raw[i + 1] != "\n":
                literal.append(raw[i + 1])
            i += 2
        elif ch in "$`":
            part, j = _dollar(raw, i, quoted=True)
            if part is None:
                literal.append(ch)
                i += 1
                continue
            if literal:
                found.append(("lit", "".join(literal), True))
                literal = []
            found.append(part)
            i = j
        else:
            literal.append(ch)
            i += 1
    if i >= n:
        raise ShellSyntaxError(None, 1, quote='"')
    if literal:
        found.append(("lit", "".join(literal), True))
    return i + 1


def _dollar(raw: str, i: int, quoted: bool) -> tuple[tuple | None, int]:
    """The expansion that starts at ``raw[i]`` (``$`` or a backquote), and the index after it."""
    if raw[i] == "`":
        j = i + 1
        body: list[str] = []
        while j < len(raw) and raw[j] != "`":
            if raw[j] == "\\" and j + 1 < len(raw) and raw[j + 1] in "$`\\":
                body.append(raw[j + 1])
                j += 2
            else:
                body.append(raw[j])
                j += 1
        if j >= len(raw):
            raise ShellSyntaxError(None, 1, quote="`")
        return ("cmd", "".join(body), quoted), j + 1
    if raw.startswith("$((", i):
        end, _ = skip_parens(raw, i + 2, 1)
        inner = raw[i + 3:end - 2]
        if raw[end - 2:end] == "))" and _balanced(inner):
            return ("arith", inner, quoted), end
        return ("cmd", raw[i + 2:end - 1], quoted), end
    if raw.startswith("$(", i):
        end, _ = skip_parens(raw, i + 2, 1)
        return ("cmd", raw[i + 2:end - 1], quoted), end
    if raw.startswith("${", i):
        end, _ = skip_unit(raw, i, 1)
        return ("param", raw[i + 2:end - 1], quoted), end
    nxt = raw[i + 1:i + 2]
    if nxt and nxt in _SPECIAL:
        return ("param", nxt, quoted), i + 2
    match = NAME.match(raw, i + 1)
    if match:
        return ("param", match.group(0), quoted), match.end()
    return None, i + 1


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    return depth == 0


# --- evaluation -------------------------------------------------------------------------------------------------

#: A break between fields that ``"$@"`` makes.
_BREAK = ("break",)


def _pieces(shell: "Shell", raw: str) -> list[tuple]:
    """Evaluate a word's parts into pieces (text, quoted, splittable) and field breaks; charges the word budget."""
    pieces: list[tuple] = []
    total = 0
    for part in parts(raw):
        kind = part[0]
        if kind == "lit":
            pieces.append((part[1], part[2], False))
        elif kind == "empty_quotes":
            pieces.append(("", True, False))
        elif kind == "tilde":
            home = shell.get("HOME") if not part[1] else ("/root" if part[1] == "root" else None)
            pieces.append((home, True, False) if home is not None else ("~" + part[1], False, False))
        elif kind == "param":
            body, quoted = part[1], part[2]
            if body in ("@", "*") and quoted and body == "@":
                for index, value in enumerate(shell.positional):
                    if index:
                        pieces.append(_BREAK)
                    pieces.append((value, True, False))
                if not shell.positional:
                    pieces.append(("@none",))
                continue
            value = shell.variables.get(body) if body in shell.variables and _is_name(body) else None
            if value is None:
                value = parameter(shell, body)
            pieces.append((value, quoted, not quoted and not (_settled(value) and "IFS" not in shell.variables)))
        elif kind == "cmd":
            value = shell.substitute(part[1]).rstrip("\n")
            pieces.append((value, part[2], not part[2]))
        else:
            pieces.append((str(arithmetic(shell, part[1])), part[2], not part[2]))
        if pieces[-1] is not _BREAK and len(pieces[-1]) == 3:
            total += len(pieces[-1][0])
            shell.budget.check_word(total)
    return pieces


def expand_words(shell: "Shell", raws: tuple[str, ...] | list[str]) -> list[str]:
    """The fields a list of raw words becomes (bash's brace expansion, then all expansions, field splitting,
    globbing, quote removal)."""
    fields: list[str] = []
    if shell.flavour.brace_expansion and any("{" in raw for raw in raws):
        raws = [word for raw in raws for word in braces(raw, MAX_BRACE_WORDS)]
    for raw in raws:
        if _plain(raw):
            fields.append(raw)
            continue
        for field, pattern in _split(shell, _pieces(shell, raw)):
            if pattern is not None:
                matches = shell.glob(pattern)
                if matches:
                    fields.extend(matches)
                    continue
            fields.append(field)
    return fields


#: The most words one brace expansion may make (``{1..100000000}`` would exhaust a real bash's memory).
MAX_BRACE_WORDS = 10_000


def braces(raw: str, limit: int) -> list[str]:
    """bash's brace expansion of one raw word: ``a{b,c}d`` -> ``abd acd``, ``{1..3}``, ``{a..c}``, nested; quoted
    and ``${...}`` braces stay. Raises `OutOfMemory` past ``limit`` words or `MAX_BRACE_CHARACTERS` in all, checked
    before each word is built."""
    words: list[str] = []
    _expand_braces(raw, limit, words, [0])
    return words


#: The most characters the words of one brace expansion may hold together.
MAX_BRACE_CHARACTERS = 4 * 1024 * 1024


def _expand_braces(raw: str, limit: int, words: list[str], size: list[int]) -> None:
    from sandbox.shell.budget import OutOfMemory

    found = _brace(raw)
    if found is None:
        size[0] += len(raw)
        if len(words) >= limit or size[0] > MAX_BRACE_CHARACTERS:
            raise OutOfMemory(len(words))
        words.append(raw)
        return
    start, end, alternatives = found
    head, tail = raw[:start], raw[end + 1:]
    for alternative in alternatives:
        if size[0] + len(head) + len(alternative) + len(tail) > MAX_BRACE_CHARACTERS:
            raise OutOfMemory(len(words))
        _expand_braces(head + alternative + tail, limit, words, size)


def _brace(raw: str) -> tuple[int, int, list[str]] | None:
    """The first expandable brace pair: (its start, its end, the alternatives), or None."""
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            i += 2
        elif ch in "'\"`" or raw.startswith("$(", i) or raw.startswith("${", i):
            try:
                i, _ = skip_unit(raw, i, 1)
            except ShellSyntaxError:
                return None
        elif ch == "{":
            depth, j, commas = 1, i + 1, []
            while j < n and depth:
                c = raw[j]
                if c == "\\":
                    j += 2
                    continue
                if c in "'\"`" or raw.startswith("$(", j) or raw.startswith("${", j):
                    try:
                        j, _ = skip_unit(raw, j, 1)
                    except ShellSyntaxError:
                        return None
                    continue
                depth += (c == "{") - (c == "}")
                if c == "," and depth == 1:
                    commas.append(j)
                j += 1
            end = j - 1
            if depth == 0 and commas:
                bounds = [i, *commas, end]
                return i, end, [raw[bounds[k] + 1:bounds[k + 1]] for k in range(len(bounds) - 1)]
            if depth == 0:
                sequence = _sequence(raw[i + 1:end])
                if sequence is not None:
                    return i, end, sequence
            i += 1
        else:
            i += 1
    return None


def _sequence(inner: str) -> list[str] | None:
    """``1..5``, ``5..1``, ``a..e``, ``1..10..2``; None for anything else. Long ranges stop at the word limit."""
    match = re.fullmatch(r"(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?|([A-Za-z])\.\.([A-Za-z])", inner)
    if match is None:
        return None
    if match.group(4):
        first, last = ord(match.group(4)), ord(match.group(5))
        step = 1 if last >= first else -1
        return [chr(c) for c in range(first, last + step, step)]
    first, last = int(match.group(1)), int(match.group(2))
    step = abs(int(match.group(3) or 1)) or 1
    step = step if last >= first else -step
    count = (last - first) // step + 1
    if count > MAX_BRACE_WORDS:
        from sandbox.shell.budget import OutOfMemory

        raise OutOfMemory(count)
    return [str(n) for n in range(first, last + (1 if step > 0 else -1), step)]


@lru_cache(maxsize=4096)
def _is_name(body: str) -> bool:
    return NAME.fullmatch(body) is not None


def _settled(value: str) -> bool:
    """An unquoted expansion that field splitting cannot change: non-empty, no blank (default IFS) inside it."""
    return bool(value) and " " not in value and "\t" not in value and "\n" not in value


@lru_cache(maxsize=8192)
def _plain(raw: str) -> bool:
    return not any(ch in raw for ch in "'\"\\$`*?[~")


def _split(shell: "Shell", pieces: list[tuple]) -> list[tuple[str, str | None]]:
    """Field splitting on IFS; returns (field, glob pattern or None) pairs."""
    custom_ifs = "IFS" in shell.variables
    if not custom_ifs and not any(len(piece) == 3 and piece[2] for piece in pieces) and _BREAK not in pieces:
        text = "".join(piece[0] for piece in pieces if len(piece) == 3)
        glob = shell.globbing and any(not piece[1] and any(ch in GLOB for ch in piece[0])
                                      for piece in pieces if len(piece) == 3)
        if not glob:
            return [(text, None)] if text or any(len(piece) == 3 and piece[1] for piece in pieces) else []
    ifs = shell.get("IFS") if shell.is_set("IFS") else " \t\n"
    white = "".join(ch for ch in ifs if ch in " \t\n")
    fields: list[tuple[list[str], list[str], bool]] = []  # (text parts, pattern parts, has glob)
    current: list | None = None

    def start() -> list:
        return [[], [], False]

    for piece in pieces:
        if piece is _BREAK:
            if current is not None:
                fields.append(current)
            current = start()
            continue
        if len(piece) == 1:  # "$@" with no positional parameters: no field at all
            continue
        text, quoted, splittable = piece
        if not splittable or not ifs:
            if current is None:
                current = start()
            current[0].append(text)
            if quoted:
                current[1].append(_escape_glob(text))
            else:
                current[1].append(text)
                current[2] = current[2] or any(ch in GLOB for ch in text)
            continue
        # an unquoted expansion: split on IFS characters
        tokens = _ifs_split(text, ifs, white)
        for index, (chunk, boundary_before) in enumerate(tokens):
            if boundary_before and current is not None:
                fields.append(current)
                current = None
            if chunk is None:
                continue
            if current is None:
                current = start()
            current[0].append(chunk)
            current[1].append(chunk)
            current[2] = current[2] or any(ch in GLOB for ch in chunk)
    if current is not None:
        fields.append(current)
    return [("".join(text), "".join(pattern) if glob and shell.globbing else None)
            for text, pattern, glob in fields]


def _ifs_split(text: str, ifs: str, white: str) -> list[tuple[str | None, bool]]:
    """(chunk, whether a field boundary precedes it); a None chunk only marks a trailing boundary."""
    if white and set(ifs) <= set(white):
        words = text.split() if white == " \t\n" else [w for w in re.split("[" + re.escape(white) + "]+", text) if w]
        result: list[tuple[str | None, bool]] = []
        leading = bool(text) and text[0] in white
        for index, word in enumerate(words):
            result.append((word, index > 0 or leading))
        if text and text[-1] in white and words:
            result.append((None, True))
        return result
    hard = "".join(ch for ch in ifs if ch not in white)
    space = f"[{re.escape(white)}]*" if white else ""
    pattern = f"{space}[{re.escape(hard)}]{space}" + (f"|[{re.escape(white)}]+" if white else "")
    chunks = re.split(pattern, text.strip(white) if white else text)
    if chunks and chunks[-1] == "":  # a trailing separator ends a field, it does not start an empty one
        chunks.pop()
    return [(chunk, index > 0) for index, chunk in enumerate(chunks)]


def _escape_glob(text: str) -> str:
    return re.sub(r"([*?\[\\])", r"\\\1", text)


def expand_word(shell: "Shell", raw: str) -> str:
    """One word without field splitting or globbing (assignments, redirection targets, ``case`` words)."""
    if _plain(raw):
        return raw
    return "".join(piece[0] for piece in _pieces(shell, raw) if piece is not _BREAK and len(piece) == 3)


def expand_pattern(shell: "Shell", raw: str) -> str:
    """A ``case`` or ``${x#pattern}`` pattern: quoted characters lose their special meaning."""
    return "".join(piece[0] if not piece[1] else _escape_glob(piece[0])
                   for piece in _pieces(shell, raw) if piece is not _BREAK and len(piece) == 3)


def expand_heredoc(shell: "Shell", body: str) -> str:
    """A here-document's body: parameters, substitutions and arithmetic, backslash before ``$ ` \\``."""
    out: list[str] = []
    i, n = 0, len(body)
    total = 0
    while i < n:
        ch = body[i]
        if ch == "\\" and i + 1 < n and body[i + 1] in "$`\\\n":
            if body[i + 1] != "\n":
                out.append(body[i + 1])
            i += 2
            continue
        if ch in "$`":
            part, j = _dollar(body, i, quoted=True)
            if part is not None:
                if part[0] == "param":
                    text = parameter(shell, part[1]) if part[1] != "@" else " ".join(shell.positional)
                elif part[0] == "cmd":
                    text = shell.substitute(part[1]).rstrip("\n")
                else:
                    text = str(arithmetic(shell, part[1]))
                out.append(text)
                total += len(text)
                shell.budget.check_word(total)
                i = j
                continue
        out.append(ch)
        total += 1
        i += 1
    return "".join(out)


# --- parameters -------------------------------------------------------------------------------------------------

_OPERATORS = (":-", ":=", ":?", ":+", "##", "%%", "-", "=", "?", "+", "#", "%")


def parameter(shell: "Shell", body: str) -> str:
    """The value of ``$body`` or ``${body}``. Raises `ExpansionError`."""
    if body.startswith("#") and len(body) > 1:
        name = body[1:]
        if not (NAME.fullmatch(name) or name in _SPECIAL or is_number(name)):
            raise ExpansionError("bad_substitution", status=_bad_status(shell), text="${" + body + "}")
        return str(len(_value(shell, name) or ""))
    match = NAME.match(body) or re.match(r"[0-9]+|[@*#?\-$!]", body)
    if not match:
        raise ExpansionError("bad_substitution", status=_bad_status(shell), text="${" + body + "}")
    name, rest = match.group(0), body[match.end():]
    value = _value(shell, name)
    if not rest:
        return value or ""
    operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
    if operator is None:
        raise ExpansionError("bad_substitution", status=_bad_status(shell), text="${" + body + "}")
    word = rest[len(operator):]
    unset_or_null = value is None or (operator.startswith(":") and value == "")
    if operator in (":-", "-"):
        return expand_word(shell, word) if unset_or_null else value or ""
    if operator in (":=", "="):
        if unset_or_null:
            if not NAME.fullmatch(name):
                raise ExpansionError("bad_substitution", text="${" + body + "}")
            shell.assign(name, expand_word(shell, word))
            return shell.get(name)
        return value or ""
    if operator in (":+", "+"):
        return "" if unset_or_null else expand_word(shell, word)
    if operator in (":?", "?"):
        if unset_or_null:
            default = "parameter_unset_or_null" if operator == ":?" else "parameter_unset"
            message = expand_word(shell, word) or shell.flavour.messages[default]
            status = (1 if shell.interactive else 127) if shell.flavour.name == "bash" else 2
            raise ExpansionError("parameter_null", status=status, name=name, message=message)
        return value or ""
    pattern = _pattern_regex(expand_pattern(shell, word))
    text = value or ""
    if operator in ("#", "##"):
        ends = range(len(text) + 1) if operator == "#" else range(len(text), -1, -1)
        for end in ends:
            if pattern.fullmatch(text, 0, end):
                return text[end:]
        return text
    starts = range(len(text), -1, -1) if operator == "%" else range(len(text) + 1)
    for start in starts:
        if pattern.fullmatch(text, start):
            return text[:start]
    return text


def _bad_status(shell: "Shell") -> int:
    return 1 if shell.flavour.name == "bash" else 2


def _value(shell: "Shell", name: str) -> str | None:
    if name == "?":
        return str(shell.status)
    if name == "#":
        return str(len(shell.positional))
    if name in ("@", "*"):
        separator = (shell.get("IFS") if shell.is_set("IFS") else " ")[:1] if name == "*" else " "
        return separator.join(shell.positional)
    if name == "$":
        return str(shell.pid)
    if name == "!":
        return str(shell.last_background) if shell.last_background else ""
    if name == "-":
        return shell.options
    if name == "0":
        return shell.name
    if is_number(name):
        index = int(name) - 1
        return shell.positional[index] if index < len(shell.positional) else None
    return shell.get(name) if shell.is_set(name) else None


# --- patterns ---------------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _pattern_regex(pattern: str) -> re.Pattern:
    """A shell pattern (``*``, ``?``, ``[...]``, backslash escapes) as a compiled regex."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif ch == "*":
            out.append(".*")
            i += 1
        elif ch == "?":
            out.append(".")
            i += 1
        elif ch == "[":
            end = i + 1
            if end < n and pattern[end] in "!^":
                end += 1
            if end < n and pattern[end] == "]":
                end += 1
            while end < n and pattern[end] != "]":
                end += 1
            if end >= n:
                out.append(re.escape(ch))
                i += 1
                continue
            inner = pattern[i + 1:end]
            negate = inner[:1] in ("!", "^")
            inner = inner[1:] if negate else inner
            inner = inner.replace("\\", "\\\\").replace("[:alpha:]", "a-zA-Z").replace("[:digit:]", "0-9") \
                .replace("[:alnum:]", "a-zA-Z0-9").replace("[:space:]", " \\t\\n").replace("[:upper:]", "A-Z") \
                .replace("[:lower:]", "a-z")
            out.append("[" + ("^" if negate else "") + inner.replace("^", "\\^") + "]")
            i = end + 1
        else:
            out.append(re.escape(ch))
            i += 1
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error:
        return re.compile(re.escape(pattern), re.DOTALL)


def matches(pattern: str, text: str) -> bool:
    """Whether ``text`` matches the shell pattern (as ``case`` and globbing match)."""
    return _pattern_regex(pattern).fullmatch(text) is not None


# --- arithmetic -------------------------------------------------------------------------------------------------

_INT_BITS = 64
_ARITH_TOKENS = re.compile(r"\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^])")


def arithmetic(shell: "Shell", text: str) -> int:
    """``$((text))``: integer arithmetic as the shells do it (64-bit, C operators). Raises `ExpansionError`."""
    expanded = expand_word(shell, text).strip()
    if not expanded:
        return 0
    position, tokens = 0, []
    while position < len(expanded):
        match = _ARITH_TOKENS.match(expanded, position)
        if not match:
            raise ExpansionError("arith", status=_bad_status(shell), expression=expanded)
        tokens.append(match.group(1))
        position = match.end()
        while position < len(expanded) and expanded[position].isspace():
            position += 1
    if "**" in tokens and not shell.flavour.arith_power:
        raise ExpansionError("arith", status=_bad_status(shell), expression=expanded)
    python: list[str] = []
    for token in tokens:
        if NAME.fullmatch(token):
            value = shell.get(token) if shell.is_set(token) else "0"
            try:
                python.append(str(int(value or "0", 0)))
            except ValueError:
                raise ExpansionError("arith", status=_bad_status(shell), expression=expanded) from None
        elif token.lower().startswith("0x"):
            python.append(str(int(token, 16)))
        elif is_number(token) and len(token) > 1 and token.startswith("0"):
            python.append(str(int(token, 8)) if re.fullmatch(r"[0-7]+", token) else token)
        else:
            python.append({"&&": " and ", "||": " or ", "!": " not ", "/": "//"}.get(token, token))
    try:
        tree = ast.parse(" ".join(python), mode="eval").body
        return _evaluate(tree, expanded)
    except ExpansionError as error:
        error.status = _bad_status(shell)
        raise
    except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError):
        raise ExpansionError("arith", status=_bad_status(shell), expression=expanded) from None


def _wrap(value: int) -> int:
    value &= (1 << _INT_BITS) - 1
    return value - (1 << _INT_BITS) if value >> (_INT_BITS - 1) else value


def _evaluate(node: ast.AST, text: str) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return _wrap(node.value)
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, text)
        if isinstance(node.op, ast.USub):
            return _wrap(-operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return int(not operand)
        if isinstance(node.op, ast.Invert):
            return _wrap(~operand)
    if isinstance(node, ast.BoolOp):
        values = [_evaluate(value, text) for value in node.values]
        return int(all(values) if isinstance(node.op, ast.And) else any(values))
    if isinstance(node, ast.Compare):
        left = _evaluate(node.left, text)
        for op, comparator in zip(node.ops, node.comparators):
            right = _evaluate(comparator, text)
            ok = {ast.Lt: left < right, ast.Gt: left > right, ast.LtE: left <= right, ast.GtE: left >= right,
                  ast.Eq: left == right, ast.NotEq: left != right}[type(op)]
            if not ok:
                return 0
            left = right
        return 1
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, text), _evaluate(node.right, text)
        if isinstance(node.op, (ast.FloorDiv, ast.Mod)):
            if right == 0:
                raise ExpansionError("division_by_zero", status=2, expression=text, token=str(right))
            quotient = abs(left) // abs(right) * (1 if (left >= 0) == (right >= 0) else -1)
            return _wrap(quotient if isinstance(node.op, ast.FloorDiv) else left - quotient * right)
        if isinstance(node.op, ast.Pow):  # bash's **: computed modulo 2**64, so a huge exponent costs nothing
            if right < 0:
                raise ExpansionError("arith", status=1, expression=text)
            return _wrap(pow(left, right, 1 << _INT_BITS))
        if isinstance(node.op, (ast.LShift, ast.RShift)):
            right &= _INT_BITS - 1
        operations = {ast.Add: lambda: left + right, ast.Sub: lambda: left - right, ast.Mult: lambda: left * right,
                      ast.LShift: lambda: left << right, ast.RShift: lambda: left >> right,
                      ast.BitAnd: lambda: left & right, ast.BitOr: lambda: left | right,
                      ast.BitXor: lambda: left ^ right}
        if type(node.op) in operations:
            return _wrap(operations[type(node.op)]())
    raise ValueError("not shell arithmetic")
