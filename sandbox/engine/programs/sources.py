"""What application sources print, read without running them: the literal arguments of ``print(...)`` and
``console.log(...)`` calls, and constant expressions (strings, numbers, arithmetic) evaluated under a size cap that
is checked before each operation is computed."""

from __future__ import annotations

import ast
import re


def log_calls(source: str, call: str, language: str) -> list[tuple[str, str]]:
    """The values printed by ``call(...)`` sites whose arguments are literals, in source order.

    Parentheses are matched in one pass over the source (quotes respected), so an unclosed call costs nothing
    extra: the scan is linear however many ``print(`` a line holds.
    """
    closing = _matching_parens(source, language)
    found = []
    for match in re.finditer(call, source):
        start = match.end()
        end = closing.get(start - 1)
        if end is None:
            continue
        inner = source[start:end]
        stream = "stdout"
        if language == "js" and match.group(1) in ("error", "warn"):
            stream = "stderr"
        if language == "py" and re.search(r"file\s*=\s*sys\.stderr", inner):
            stream, inner = "stderr", re.sub(r",\s*file\s*=\s*sys\.stderr", "", inner)
        values = _evaluate_arguments(inner, language)
        if values is not None:
            found.append((stream, " ".join(values)))
    return found


def _matching_parens(source: str, language: str) -> dict[int, int]:
    """Index of each ``(`` outside quotes and comments -> index of its ``)``; unclosed ones are absent."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    quote = ""
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch == "#" and language == "py" or ch == "/" and language == "js" and source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end == -1 else end
            continue
        elif ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs[stack.pop()] = i
        i += 1
    return pairs


def _evaluate_arguments(inner: str, language: str) -> list[str] | None:
    if language == "js":
        inner = re.sub(r"`([^`$]*)`", lambda m: repr(m.group(1)), inner)
    try:
        node = ast.parse(f"f({inner})", mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Call) or node.keywords and language == "js":
        return None
    values = [_literal(arg, language) for arg in node.args]
    if any(value is None for value in values):
        return None
    return values  # type: ignore[return-value]


def evaluate(code: str, language: str) -> str | None:
    try:
        node = ast.parse(code.strip().rstrip(";"), mode="eval").body
    except SyntaxError:
        return None
    return _literal(node, language)


def _literal(node: ast.AST, language: str) -> str | None:
    """A constant expression's printed form (strings, numbers, arithmetic), or None for anything else."""
    try:
        value = _constant(node)
    except (ValueError, ZeroDivisionError, TypeError, OverflowError):
        return None
    if isinstance(value, bool):
        return ("true" if value else "false") if language == "js" else str(value)
    if isinstance(value, float) and language == "js" and value.is_integer():
        return str(int(value))
    return str(value)


def _constant(node: ast.AST) -> object:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_constant(node.operand)  # type: ignore[operator]
    if isinstance(node, ast.BinOp):
        left, right = _constant(node.left), _constant(node.right)
        _check_size(node.op, left, right)
        operators = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
                     ast.Div: lambda a, b: a / b, ast.Mod: lambda a, b: a % b, ast.FloorDiv: lambda a, b: a // b,
                     ast.Pow: lambda a, b: a ** b if abs(b) < 100 else _too_big()}
        for kind, apply in operators.items():
            if isinstance(node.op, kind):
                return _bounded(apply(left, right))
    raise ValueError("not a constant expression")


def _too_big() -> object:
    raise OverflowError


#: The largest constant the log-line evaluator builds: beyond it the line is not simulated (prints nothing).
MAX_CONSTANT_BITS = 4096
MAX_CONSTANT_TEXT = 64 * 1024
#: The width and precision of each ``%`` conversion of a format string.
_FORMAT_SIZES = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\d*)(?:\.(\d*))?")


def _check_size(op: ast.operator, left: object, right: object) -> None:
    """Refuse an operation whose result would be huge, before computing it (``'%01999999999d' % 1`` asks for a
    2 GB string: the width is read from the format first)."""
    if isinstance(op, ast.Mod) and isinstance(left, str):
        for width, precision in _FORMAT_SIZES.findall(left):
            if int(width or 0) > MAX_CONSTANT_TEXT or int(precision or 0) > MAX_CONSTANT_TEXT:
                raise OverflowError
    if isinstance(op, ast.Mult) and isinstance(left, (str, int)) and isinstance(right, (str, int)):
        text, times = (left, right) if isinstance(left, str) else (right, left)
        if isinstance(text, str) and isinstance(times, int) and len(text) * max(times, 0) > MAX_CONSTANT_TEXT:
            raise OverflowError
    if isinstance(op, ast.Pow) and isinstance(left, int) and isinstance(right, int) and right > 0:
        if abs(left).bit_length() * right > MAX_CONSTANT_BITS:
            raise OverflowError


def _bounded(value: object) -> object:
    if isinstance(value, int) and value.bit_length() > MAX_CONSTANT_BITS:
        raise OverflowError
    if isinstance(value, str) and len(value) > MAX_CONSTANT_TEXT:
        raise OverflowError
    return value
