"""The part of Go's text/template that ``--format`` in tutorials uses.

Supported: literal text, ``{{.Field}}`` and ``{{.A.B}}`` paths, variables, pipelines, ``{{range}}``, ``{{if}}``
... ``{{else}}`` ... ``{{end}}``, Go's builtins (``and call eq ge gt html index js le len lt ne not or print printf
println slice urlquery``; fmt's verbs through `gofmt`, the escapers through `goescape`) and docker's ``json split join
title lower upper pad truncate``. The template is taken as written: docker's list formatters replace ``\\t`` and
``\\n`` first (`expand_escapes`), ``docker info``, ``version`` and ``inspect`` do not. Anything else fails with a
Go-style ``template:`` error rather than a guess.
"""

from __future__ import annotations

import re
from collections import ChainMap
from decimal import Decimal

from sandbox.cli.golang import GoError, go_unquote, to_bytes, to_text
from sandbox.cli.goescape import html_escape, js_escape, query_escape
from sandbox.cli.gofmt import GoByte, GoNil, GoSlice, OutputTooLong, go_float, go_type, sprint, sprintf, sprintln, value_text
from sandbox.errors import NotSimulated, UsageError

_ACTION = re.compile(r"{{(.*?)}}", re.S)


class TemplateError(UsageError):
    """A template that does not fit the data (Go's execution error); ``written`` is what the template had printed
    before it failed, which Go has already written to the writer it executes into."""

    written = ""


class TemplateSyntaxError(TemplateError):
    """A template that does not parse (Go's parse error)."""


def expand_escapes(template: str) -> str:
    """What docker's formatter.Context (``docker ps``, ``images``, ``search``...) does to a format before parsing it:
    the two-character sequences ``\\t`` and ``\\n`` become a tab and a newline."""
    return template.replace("\\t", "\t").replace("\\n", "\n")


def _tokens(template: str):
    """``(kind, value, at)``: literal text and the inside of each action, ``at`` where the value starts. Trim
    markers (``{{- `` and `` -}}``: a dash and a space) remove the white space on that side of the action."""
    position, trim_next = 0, False
    for match in _ACTION.finditer(template):
        inside = match.group(1)
        left = inside[:1] == "-" and inside[1:2] in _SPACE
        right = inside[-1:] == "-" and inside[-2:-1] in _SPACE
        text = template[position:match.start()]
        text = text.lstrip(" \t\r\n") if trim_next else text
        text = text.rstrip(" \t\r\n") if left else text
        if text:
            yield "text", text, position
        value = inside[2 if left else 0:len(inside) - (1 if right else 0)]
        at = match.start(1) + (2 if left else 0) + len(value) - len(value.lstrip())
        if not value.strip().startswith("/*"):  # a comment prints nothing
            yield "action", value.strip(), at
        position, trim_next = match.end(), right
    text = template[position:].lstrip(" \t\r\n") if trim_next else template[position:]
    if text:
        yield "text", text, position


#: The actions that open a block closed by ``{{end}}``.
_BLOCKS = ("range", "if", "with", "define", "block")


class _Unexpected(Exception):
    """Go's parse error for a template whose blocks do not fit (``unexpected {{end}}``); ``at`` where."""

    def __init__(self, problem: str, at: int) -> None:
        super().__init__(problem)
        self.problem, self.at = problem, at


def _parse(tokens, top: bool = True):
    """Parse into a tree, a list of nodes; returns ``(nodes, terminator)``, the ``(head, value, at)`` of the
    ``{{end}}`` or ``{{else}}`` that ended them (None at the end of the text). Raises `_Unexpected`."""
    nodes = []
    for kind, value, at in tokens:
        if kind == "text":
            nodes.append(("text", value))
            continue
        head = value.split(None, 1)[0] if value else ""
        if head in ("end", "else"):
            if top:
                raise _Unexpected(f"unexpected {{{{{head}}}}}", at)
            return nodes, (head, value, at)
        if head in _BLOCKS:
            nodes.append(_block(head, value, at, tokens))
        else:
            nodes.append(("expr", value, at))
    return nodes, None


def _block(head: str, value: str, at: int, tokens):
    """One block node ``(head, pipeline, body, else_body, pipeline_at)``; ``{{else if ...}}`` and ``{{else with
    ...}}`` chain a block of that kind as the else body, closed by the same ``{{end}}``."""
    rest = value[len(head):].lstrip()
    if not rest and head in ("range", "if", "with"):
        raise _Unexpected(f"missing value for {head}", at)
    body, terminator = _parse(tokens, top=False)
    other = []
    if terminator is not None and terminator[0] == "else":
        _, else_value, else_at = terminator
        if head in ("define", "block"):
            raise _Unexpected(f"unexpected {{{{else}}}} in {head} clause", else_at)
        chained = else_value[len("else"):].lstrip()
        chained_head = chained.split(None, 1)[0] if chained else ""
        if chained_head in ("if", "with"):
            if chained_head != head:  # Go chains if with if and with with only
                raise _Unexpected(f"unexpected <{chained_head}> in input", else_at)
            other = [_block(chained_head, chained, else_at + len(else_value) - len(chained), tokens)]
            return head, rest, body, other, at + len(value) - len(rest)
        other, terminator = _parse(tokens, top=False)
        if terminator is not None and terminator[0] == "else":
            raise _Unexpected("expected end; found {{else}}", terminator[2])
    if terminator is None:
        raise _Unexpected("unexpected EOF", -1)
    return head, rest, body, other, at + len(value) - len(rest)


#: How deeply ``range``/``if`` blocks may nest in a sandbox template (Go's own parser recurses without a limit).
MAX_NESTING = 100


def check_syntax(template: str, name: str = "") -> None:
    """Raise `TemplateSyntaxError` with Go's words for what its lexer refuses (unclosed actions, strings and
    parentheses, bad characters and numbers) and for nesting deeper than `MAX_NESTING`."""
    text = template
    problem = _lex_problem(text)
    if problem is not None:
        raise TemplateSyntaxError(f"template: {name}:1: {problem}")
    chains: list[int] = []  # per open block, how many blocks its {{else if}}s opened (one {{end}} closes them)
    for kind, value, _ in _tokens(text):
        words = value.split(None, 2) if kind == "action" else []
        if words[:1] and words[0] in _BLOCKS:
            chains.append(1)
        elif words[:1] == ["else"] and words[1:2] in (["if"], ["with"]) and chains:
            chains[-1] += 1
        elif words[:1] == ["end"] and chains:
            chains.pop()
        if sum(chains) > MAX_NESTING:
            raise TemplateSyntaxError(f"template: {name}:1: blocks nested more than {MAX_NESTING} deep")
    try:
        _check_variables(_parse(iter(list(_tokens(text))))[0], {"$"})
    except _Unexpected as unexpected:
        line = text.count("\n", 0, unexpected.at) + 1 if unexpected.at >= 0 else text.count("\n") + 1
        raise TemplateSyntaxError(f"template: {name}:{line}: {unexpected.problem}") from None


_VARIABLE = re.compile(r"\$\w*")


def _check_variables(nodes, declared: set[str]) -> None:
    """Go's parser refuses a variable used where no declaration reaches (``undefined variable "$v"``): one declared
    in a block's pipeline or body lasts until its ``{{end}}``; ``$`` is always there."""
    for node in nodes:
        if node[0] == "text" or node[0] in ("define", "block"):  # templates of their own: the plain line later
            continue
        expression, at = (node[1], node[2]) if node[0] == "expr" else (node[1], node[4])
        scope = declared if node[0] == "expr" else set(declared)
        declaration = _DECLARATION.match(expression)
        if declaration:  # declared before the pipeline is parsed: {{$v := $v}} fails only when it runs
            scope.update(name for name in declaration.groups() if name)
        elif _ASSIGNMENT.match(expression):
            at += _ASSIGNMENT.match(expression).end()
            expression = expression[_ASSIGNMENT.match(expression).end():]
        for used, used_at in _variables_used(expression, at):
            if used not in scope:
                raise _Unexpected(f'undefined variable "{used}"', used_at)
        if node[0] != "expr":
            _check_variables(node[2], scope)
            _check_variables(node[3], scope)


def _variables_used(expression: str, at: int):
    """Each ``$name`` an action's text uses, with where it is, outside quoted strings."""
    i = 0
    while i < len(expression):
        if expression[i] in "\"`'":
            i = _quoted_end(expression, i) or len(expression)
            continue
        match = _VARIABLE.match(expression, i)
        if match:
            yield match.group(0), at + i
            i = match.end()
        else:
            i += 1


#: Words Go's lexer makes keywords, not function names.
KEYWORDS = frozenset("block break continue define else end if range nil template with true false".split())
#: The functions a docker --format template may call: Go's builtins and docker/cli's templates.basicFunctions.
FUNCTIONS = frozenset("and call html index slice js len not or print printf println urlquery eq ge gt le lt ne "
                      "json split join title lower upper pad truncate".split())
#: Where a word (identifier, field, variable) may end: Go's lexer ``atTerminator``.
_TERMINATORS = frozenset(" \t\r\n.,|:)(")
_SPACE = frozenset(" \t\r\n")


def _lex_problem(text: str) -> str | None:
    """The first error Go's text/template lexer (parse/lex.go) reports for ``text``, or None."""
    at = 0
    while (at := text.find("{{", at)) >= 0:
        at += 2
        if text.startswith("-", at) and text[at + 1:at + 2] in _SPACE and at + 1 < len(text):
            at += 2  # a left trim marker: "{{- "
        if text.startswith("/*", at):  # a comment action: {{/* ... */}}
            close = text.find("*/", at + 2)
            if close < 0:
                return "unclosed comment"
            at = close + 2
            at += 2 if text.startswith(" -}}", at) else 0
            if not text.startswith("}}", at):
                return "comment ends before closing delimiter"
            continue
        parens, first = 0, True
        while True:
            if at >= len(text):
                return "unclosed action"
            char = text[at]
            if text.startswith("}}", at) or char in _SPACE and text.startswith("-}}", at + 1):
                if parens:
                    return "unclosed left paren"
                at += 2 if char == "}" else 4
                break
            if char in _SPACE:
                at += 1
                continue
            if char in "\"`'":
                end = _quoted_end(text, at)
                if end is None:
                    return {'"': "unterminated quoted string", "`": "unterminated raw quoted string",
                            "'": "unterminated character constant"}[char]
                at, first = end, False
                continue
            if char in "+-" or char.isdigit():
                end = _number_end(text, at)
                if end < 0:
                    return f"bad number syntax: {_go_string(text[at:-end])}"
                at, first = end, False
                continue
            if char in ".$" or char == "_" or char.isalnum():
                word_start, at = at, at + 1
                while at < len(text) and (text[at] == "_" or text[at].isalnum()):
                    at += 1
                if at < len(text) and text[at] not in _TERMINATORS and not text.startswith("}}", at):
                    return f"bad character {_go_rune(text[at])}"
                word = text[word_start:at]
                if char not in ".$" and word not in KEYWORDS and word not in FUNCTIONS:
                    return f"function {_go_string(word)} not defined"  # the parser checks every name it meets
                first = False
                continue
            if char == "(":
                parens, first = parens + 1, True
            elif char == ")":
                if not parens:
                    return "unexpected right paren"
                parens -= 1
            elif char == "|":
                first = True
            elif char == ":" and not text.startswith(":=", at):
                return "expected :="
            elif char not in ",:=":
                if char.isascii() and char.isprintable():  # Go's itemChar: the parser refuses it
                    return f"unexpected {_go_string(char)} in {'command' if first else 'operand'}"
                return f"unrecognized character in action: {_go_rune(char)}"
            at += 1
    return None


def _quoted_end(text: str, at: int) -> int | None:
    """Past the string, raw string or character constant opening at ``at``; None when it never closes."""
    quote, at = text[at], at + 1
    while at < len(text):
        char = text[at]
        if char == quote:
            return at + 1
        if quote != "`" and char == "\n":
            return None
        at += 2 if quote != "`" and char == "\\" else 1
    return None


def _number_end(text: str, at: int) -> int:
    """Past the number Go's scanNumber reads at ``at``, or minus the end of the bad text it quotes."""
    start = at
    at += 1 if text[at] in "+-" else 0
    digits = "0123456789_"
    if text.startswith(("0x", "0X"), at):
        at, digits = at + 2, "0123456789abcdefABCDEF_"
    while at < len(text) and text[at] in digits:
        at += 1
    if text.startswith(".", at):
        at += 1
        while at < len(text) and text[at] in digits:
            at += 1
    if at < len(text) and text[at] in "eE" and digits[10] == "_":
        at += 1
        at += 1 if text[at:at + 1] in ("+", "-") and text[at:at + 1] else 0
        while at < len(text) and text[at] in "0123456789_":
            at += 1
    at += 1 if text.startswith("i", at) else 0
    if at < len(text) and (text[at] == "_" or text[at].isalnum()):
        return -(at + 1)
    return at if at > start else start + 1


def _go_rune(char: str) -> str:
    """Go's ``%#U``: the code point, and the character itself when it prints."""
    shown = f" '{char}'" if char.isprintable() else ""
    return f"U+{ord(char):04X}{shown}"


def _go_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(template: str, data: object, type_name: str = "map[string]interface {}", name: str = "") -> str:
    """Expand ``template`` against ``data`` (dicts, lists and scalars, as decoded JSON). Raises `TemplateError`;
    ``type_name`` is the Go type docker names in "can't evaluate field" errors, ``name`` the template's name
    (``templates.New("version")``) that Go's errors quote."""
    check_syntax(template, name)
    if type(data) is dict and not type_name.lstrip("*").startswith("map["):
        data = _Context(type_name, data)
    try:
        return _render(template, data)
    except TemplateError as error:
        message = error.message.replace("map[string]interface {}", type_name, 1)
        if name:
            message = message.replace("template: :", f"template: {name}:", 1).replace(
                'executing ""', f'executing "{name}"', 1)
        named = type(error)(message)
        named.written = error.written
        raise named from None


#: The sandbox's budget for one rendering (Go's templates have none: ``{{range 100000000000}}`` makes the real client
#: grow to tens of gigabytes). Checked before a ``range`` repeats and before output grows.
MAX_ITERATIONS = 100_000
MAX_OUTPUT_CHARS = 1 << 20


class _Budget:
    """What one rendering may still repeat and print, and what it has printed (Go writes as it executes)."""

    def __init__(self, text: str) -> None:
        self.text, self.iterations, self.chars = text, MAX_ITERATIONS, MAX_OUTPUT_CHARS
        self.written: list[str] = []
        self.nesting = 0

    def repeat(self, times: int, at: int, context: str) -> None:
        if times > self.iterations:
            raise _failure(self.text, at, context, f"the sandbox repeats a --format template at most "
                                                   f"{MAX_ITERATIONS} times in all")
        self.iterations -= times

    def emit(self, piece: str, at: int) -> None:
        self.chars -= len(piece)
        if self.chars < 0:
            raise _failure(self.text, at, None, f"the sandbox prints at most {MAX_OUTPUT_CHARS} characters of "
                                                "--format output")
        self.written.append(piece)


def _failure(text: str, at: int, context: str | None, problem: str) -> TemplateError:
    """Go's execution error: ``template: :LINE:COL: executing "" at <NODE>: PROBLEM`` (COL counted from 0, as
    text/template's ErrorContext does)."""
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1)
    where = f' executing "" at <{context}>:' if context is not None else ""
    return TemplateError(f"template: :{line}:{column}:{where} {problem}")


class _Context(dict):
    """A command's row as its formatter context struct (``*formatter.ContainerContext``): ``%T``, ``index`` and
    ``len`` name its type; Go prints the struct's unexported insides, which the sandbox does not model."""

    def __init__(self, go_type: str, fields: dict) -> None:
        super().__init__(fields)
        self.go_type = go_type

    def go_text(self) -> str:
        raise NotSimulated("printing the whole {{.}} of a --format row", "print its fields, or {{json .}}")


def _render(template: str, data: object) -> str:
    text = template
    nodes, _ = _parse(iter(list(_tokens(text))))  # check_syntax has refused what does not parse
    budget = _Budget(text)
    try:
        _execute(nodes, data, ChainMap({"$": data}), budget)
    except TemplateError as error:
        error.written = "".join(budget.written)
        raise
    return "".join(budget.written)


def _execute(nodes, data, variables, budget: _Budget) -> None:
    for node in nodes:
        if node[0] == "text":
            budget.emit(node[1], 0)
        elif node[0] == "expr":
            _action(node[1], node[2], data, variables, budget)
        elif node[0] == "range":
            _range(node, data, variables, budget)
        elif node[0] in ("if", "with"):
            declared = _DECLARATION.match(node[1]) if node[0] == "with" else None
            expression, at = (node[1][declared.end():], node[4] + declared.end()) if declared else (node[1], node[4])
            value = _pipeline(expression, at, data, variables, budget)[0]
            if node[0] == "if" or not value:
                _execute(node[2] if value else node[3], data, variables.new_child(), budget)
            else:  # with: dot is the value inside, and a declared variable holds it
                _execute(node[2], value, variables.new_child({declared.group(1): value} if declared else {}),
                         budget)
        else:  # define, block: templates of their own, which docker's --format users do not write
            raise NotSimulated(f"'{{{{{node[0]}}}}}' in --format")


_DECLARATION = re.compile(r"(\$\w*)\s*(?:,\s*(\$\w*)\s*)?:=\s*")
_ASSIGNMENT = re.compile(r"(\$\w*)\s*=\s*")


def _action(expression: str, at: int, data, variables: ChainMap, budget: _Budget) -> None:
    """An action that is not a block: print its pipeline's value, or declare (``$x := ...``, in the innermost
    scope) or assign (``$x = ...``, where it was declared) a variable, which prints nothing."""
    declared = _DECLARATION.match(expression) or _ASSIGNMENT.match(expression)
    if not declared:
        budget.emit(_text(_pipeline(expression, at, data, variables, budget)[0]), at)
        return
    name = declared.group(1)
    value, last, last_at = _pipeline(expression[declared.end():], at + declared.end(), data, variables, budget)
    if ":=" in declared.group(0):
        variables[name] = value
        return
    for scope in variables.maps:
        if name in scope:
            scope[name] = value
            return
    raise _failure(budget.text, last_at, last, f"undefined variable: {name}")


def _range(node, data, variables, budget: _Budget) -> None:
    """``{{range PIPELINE}}``: lists, maps (by sorted key) and, since Go 1.22, integers; nil or empty runs
    ``{{else}}``; anything else is Go's ``range can't iterate over``."""
    _, expression, body, other, at = node
    declared = _DECLARATION.match(expression)
    names = [n for n in declared.groups() if n] if declared else []
    if declared:
        expression, at = expression[declared.end():], at + declared.end()
    items, last, last_at = _pipeline(expression, at, data, variables, budget)
    if isinstance(items, (bool, str, float)) or _is_struct(items):
        raise _failure(budget.text, last_at, last, f"range can't iterate over {_text(items)}")
    if isinstance(items, int):
        if len(names) > 1:
            raise _failure(budget.text, last_at, last,
                           f"can't use {items} to iterate over more than one variable")
        budget.repeat(max(items, 0), last_at, last)
        pairs = ((type(items)(i), type(items)(i)) for i in range(items))  # of the integer's own type (uint8)
    elif isinstance(items, dict):
        budget.repeat(len(items), last_at, last)
        pairs = [(key, items[key]) for key in sorted(items)]
    else:
        budget.repeat(len(items or ()), last_at, last)
        pairs = list(enumerate(items or ()))
    ran = False
    for key, item in pairs:
        ran = True
        scope = variables.new_child()
        if len(names) == 1:
            scope[names[0]] = item
        elif len(names) == 2:
            scope[names[0]], scope[names[1]] = key, item
        _execute(body, item, scope, budget)
    if not ran:
        _execute(other, data, variables.new_child(), budget)


def _text(value) -> str:
    """What an action prints for a value: text/template's printableValue, then fmt's ``%v``."""
    if value is None:  # Go's invalid value: a missing key or field that holds nothing
        return "<no value>"
    return value_text(value)


def _go_json(value) -> str:
    """encoding/json as docker's ``json`` function encodes (SetEscapeHTML(false)): UTF-8 kept, U+2028/U+2029 and
    control characters escaped, a byte that is not UTF-8 as U+FFFD, floats in Go's shortest form (``1e+21``,
    ``100000000000000000000``, ``1e-7``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_json_string(str(key))}:{_go_json(item)}" for key, item in value.items()) + "}"
    return "[" + ",".join(_go_json(item) for item in value) + "]"


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _json_string(text: str) -> str:
    out = []
    for char in text:
        if char in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[char])
        elif char < " ":
            out.append(f"\\u{ord(char):04x}")
        elif "\udc80" <= char <= "\udcff":
            out.append("\\ufffd")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _json_float(value: float) -> str:
    """encoding/json's floatEncoder: %e form below 1e-6 and from 1e21, its exponent without a leading zero."""
    if value != value or value in (float("inf"), float("-inf")):
        raise NotSimulated("json of NaN or an infinity in --format")
    if value == 0 or 1e-6 <= abs(value) < 1e21:
        text = format(Decimal(repr(value)), "f")
        return text[:-2] if text.endswith(".0") else text
    text = go_float(value)  # the shortest %e form: 1e+21, 1.5e-07
    return re.sub(r"e([+-])0(\d)$", r"e\1\2", text)


def _jsonable(value):
    """What encoding/json marshals: a Go struct the data models gives its own JSON form (or says it cannot)."""
    if hasattr(value, "go_json"):
        return value.go_json()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def _words(expression: str, at: int) -> list[tuple[str, int]]:
    """The operands of a command, each with where it starts: quoted strings stay whole, quotes included."""
    words, i = [], 0
    while i < len(expression):
        if expression[i] in _SPACE:
            i += 1
            continue
        start = i
        if expression[i] in "\"`'":
            end = _quoted_end(expression, i)
            if end is None:
                raise TemplateError(f"template: :1: unterminated quoted string in {expression!r}")
            i = end
        elif expression[i] == "(":  # a parenthesized pipeline is one operand
            depth = 0
            while i < len(expression):
                if expression[i] in "\"`'":
                    i = _quoted_end(expression, i) or len(expression)
                    continue
                depth += (expression[i] == "(") - (expression[i] == ")")
                i += 1
                if depth == 0:
                    break
            while i < len(expression) and expression[i] not in _SPACE and expression[i] not in "()|":
                i += 1  # a field chain on the pipeline's value: (index .Server.Components 0).Details
        else:
            while i < len(expression) and expression[i] not in _SPACE:
                i += 1
        words.append((expression[start:i], at + start))
    return words


_NUMBER = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F_]+|[0-9_]*\.?[0-9_]+(?:[eE][+-]?[0-9_]+)?)")


class _Literal:
    """A constant typed in the template: Go prints it as typed (``<3>``, ``"abc"``) and knows its kind."""

    def __init__(self, word: str) -> None:
        self.word = word
        if word in ("true", "false"):
            self.value = word == "true"
        elif word.startswith(('"', "`")):
            try:
                self.value = go_unquote(word)
            except GoError:
                self.value = word[1:-1]
        elif word.startswith("'"):  # a character constant is its code point, an int (Go's idealConstant)
            self.value = ord(go_unquote(word))
        elif any(c in word for c in ".eE") and not word.lower().startswith(("0x", "-0x", "+0x")):
            self.value = float(word.replace("_", ""))
        else:
            self.value = int(word.replace("_", ""), 0)


def _operand(word: str, at: int, data, variables, budget: _Budget, inner: list | None = None):
    """The value of one operand: a field path, a variable, a constant (as a `_Literal`), a parenthesized pipeline
    (``inner`` gets its ``(value, last node, where)``), or a value piped in."""
    if isinstance(word, _Given):
        return word.value
    if word.startswith("(") and not word.endswith(")"):  # (pipeline).Field.Field
        close = _closing_paren(word)
        base = _operand(word[:close + 1], at, data, variables, budget, inner=(evaluated := []))
        return _path(word[close + 1:], at + close + 1, base, variables, budget, node=evaluated[0][1:])
    if word.startswith("(") and word.endswith(")"):
        budget.nesting += 1
        if budget.nesting > MAX_NESTING:  # Go's parser recurses without a limit; Python's stack has one
            raise _failure(budget.text, at, None, f"the sandbox nests parenthesized commands at most {MAX_NESTING} "
                                                  "deep")
        try:
            evaluated = _pipeline(word[1:-1], at + 1, data, variables, budget)
        finally:
            budget.nesting -= 1
        if inner is not None:
            inner.append(evaluated)
        return evaluated[0]
    if word.startswith((".", "$")):
        return _path(word, at, data, variables, budget)
    return _Literal(word) if _is_literal(word) else None


def _closing_paren(word: str) -> int:
    """Where the parenthesis that opens ``word`` closes."""
    depth, i = 0, 0
    while i < len(word):
        if word[i] in "\"`'":
            i = _quoted_end(word, i) or len(word)
            continue
        depth += (word[i] == "(") - (word[i] == ")")
        if depth == 0:
            return i
        i += 1
    return len(word) - 1


def _is_literal(word: str) -> bool:
    if word in ("true", "false") or word[:1] in "\"`":
        return True
    if word[:1] == "'":
        try:
            go_unquote(word)
        except GoError:
            return False
        return True
    if not _NUMBER.fullmatch(word):
        return False
    try:
        _Literal(word)
    except ValueError:
        return False
    return True


#: Each function a docker template may call here: (arity, what each argument must be: "any", "string", "list").
_SIGNATURES = {"json": ("any",), "join": ("list", "string"), "upper": ("string",),
               "lower": ("string",), "len": ("any",), "split": ("string", "string"), "title": ("string",),
               "pad": ("string", "int", "int"), "truncate": ("string", "int")}


def _command_text(words) -> str:
    """A command as Go's errors quote it: its words, without the value piped into it."""
    return " ".join(w for w, _ in words if not isinstance(w, _Given))


class _Given(str):
    """An operand whose value is already known: the value piped in from the command before (Go passes it as the
    last argument). As text it is the command it came from, for error messages."""

    def __new__(cls, text: str, value) -> "_Given":
        given = super().__new__(cls, text)
        given.value = value
        return given


def _pipeline(expression: str, at: int, data, variables, budget: _Budget):
    """Evaluate a pipeline, ``A | B | C``: each command's value is the last argument of the next. Returns
    ``(value, context, context_at)``, the last node Go evaluated (its errors name it)."""
    commands = _commands(expression)
    if len(commands) == 1:
        return _command(expression, at, data, variables, budget)
    piped = None
    for index, (start, end) in enumerate(commands):
        text = expression[start:end]
        words = _words(text, at + start)
        if index:
            words.append((_Given(expression[commands[index - 1][0]:commands[index - 1][1]].strip(), piped),
                          at + start))
        piped, last, last_at = _command(text, at + start, data, variables, budget, words=words)
    return piped, last, last_at


def _commands(expression: str) -> list[tuple[int, int]]:
    """Where each command of a pipeline starts and ends: split at each ``|`` outside quotes and parentheses."""
    spans, start, depth, i = [], 0, 0, 0
    while i < len(expression):
        char = expression[i]
        if char in "\"`'":
            i = _quoted_end(expression, i) or len(expression)
            continue
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            spans.append((start, i))
            start = i + 1
        i += 1
    return spans + [(start, len(expression))]


def _command(expression: str, at: int, data, variables, budget: _Budget, words=None):
    """Evaluate one command; returns ``(value, context, context_at)``, the last node Go evaluated (its errors name
    it)."""
    words = _words(expression, at) if words is None else words
    if not words:
        raise TemplateError("template: :1: missing value for command")
    (function, function_at), arguments = words[0], words[1:]
    if function.startswith((".", "$", "(")) or _is_literal(function):
        if arguments:
            raise _failure(budget.text, function_at, function, f"{function} is not a method but has arguments")
        if function.startswith("(") and function.endswith(")") and not isinstance(function, _Given):
            # Go's last node is inside the parentheses
            _operand(function, function_at, data, variables, budget, inner=(inner := []))
            return inner[0]
        value = _operand(function, function_at, data, variables, budget)
        return (value.value if isinstance(value, _Literal) else value), function, function_at
    if function in _LOGIC:
        return _logic(function, function_at, words, data, variables, budget)
    if function in _VARIADIC:
        return _variadic(function, function_at, words, data, variables, budget)
    signature = _SIGNATURES.get(function)
    if signature is None:  # the lexer let it through: a keyword action (template, break, continue, nil)
        raise NotSimulated(f"'{{{{{function}}}}}' in --format")
    if len(arguments) != len(signature):
        raise _failure(budget.text, function_at, function,
                       f"wrong number of args for {function}: want {len(signature)} got {len(arguments)}")
    values = []
    for index, ((word, word_at), kind) in enumerate(zip(arguments, signature)):
        value = _operand(word, word_at, data, variables, budget, inner=(inner := []))
        if isinstance(word, _Given):  # Go's error names the node it evaluated last: an argument, or the function
            word, word_at = arguments[index - 1] if index else (function, function_at)
        elif inner:  # ... or the last node inside a parenthesized pipeline
            word, word_at = inner[0][1:]
        values.append(_typed(value, kind, word, word_at, budget))
    command = _command_text(words)
    last, last_at = arguments[-1]
    if function == "json":
        return _go_json(_jsonable(values[0])), last, last_at
    if function == "join":
        return values[1].join(_text(v) for v in (values[0] or [])), last, last_at
    if function == "split":  # strings.Split: an empty separator splits after each character
        text, separator = values
        return GoSlice("[]string", text.split(separator) if separator else list(text)), last, last_at
    if function == "title":
        return _title(values[0]), last, last_at
    if function == "pad":  # docker/cli's padWithSpace: spaces around a non-empty string
        text, prefix, suffix = values
        if prefix < 0 or suffix < 0:
            raise _failure(budget.text, function_at, command, "error calling pad: strings: negative Repeat count")
        if text and prefix + suffix > budget.chars:  # never build what the output budget would refuse
            raise _failure(budget.text, function_at, None, f"the sandbox prints at most {MAX_OUTPUT_CHARS} "
                                                           "characters of --format output")
        return (" " * prefix + text + " " * suffix if text else text), last, last_at
    if function == "truncate":  # docker/cli's truncateWithLength: the first N bytes
        text, length = values
        data = to_bytes(text)
        if len(data) < length:
            return text, last, last_at
        if length < 0:
            raise _failure(budget.text, function_at, command,
                           f"error calling truncate: runtime error: slice bounds out of range [:{length}]")
        return to_text(data[:length]), last, last_at
    if function in ("upper", "lower"):
        return getattr(values[0], function)(), last, last_at
    if values[0] is None:  # reflect panics on the zero Value, and text/template reports the panic
        raise _failure(budget.text, function_at, command,
                       "error calling len: reflect: call of reflect.Value.Type on zero Value")
    # len: Go counts a string's bytes, and has no length for a number, a bool or a struct
    if isinstance(values[0], (bool, int, float)) or _is_struct(values[0]):
        raise _failure(budget.text, function_at, command,
                       f"error calling len: len of type {go_type(values[0]).lstrip('*')}")
    if isinstance(values[0], str):
        return len(to_bytes(values[0])), last, last_at
    return len(values[0] or []), last, last_at


#: The functions that take any number of arguments of any type (text/template funcs.go), done by `_variadic`.
_VARIADIC = frozenset("print printf println html js urlquery index slice call".split())


class _CallError(Exception):
    """What a Go template function returned as its error; the caller words it ``error calling F: ...``."""


def _variadic(function: str, at: int, words, data, variables, budget: _Budget):
    """Go's ``print printf println html js urlquery index slice call``: any number of arguments, each of any type
    (printf's first is its format string)."""
    arguments = words[1:]
    command = _command_text(words)
    last, last_at = (arguments or words)[-1]
    if not arguments and function in ("printf", "index", "slice", "call"):
        raise _failure(budget.text, at, function,
                       f"wrong number of args for {function}: want at least 1 got 0")
    values = []
    for index, (word, word_at) in enumerate(arguments):
        value = _operand(word, word_at, data, variables, budget, inner=(inner := []))
        if function == "printf" and not index:  # the format is a string parameter
            where = (function, at) if isinstance(word, _Given) else inner[0][1:] if inner else (word, word_at)
            values.append(_typed(value, "string", *where, budget))
        else:
            values.append(_plain(value))
    try:
        if function in ("print", "printf", "println"):
            printed = (sprintf(values[0], values[1:], budget.chars) if function == "printf" else
                       (sprint if function == "print" else sprintln)(values, budget.chars))
            return printed, last, last_at
        if function in ("html", "js", "urlquery"):  # evalArgs: one string as it is, else fmt.Sprint
            if len(values) != 1 or not isinstance(values[0], str):
                values = ["<no value>" if value is None else value for value in values]
            text = values[0] if len(values) == 1 and isinstance(values[0], str) else sprint(values, budget.chars)
            escape = {"html": html_escape, "js": js_escape, "urlquery": query_escape}[function]
            return escape(text), last, last_at
        if function == "index":
            return _index(values[0], values[1:]), last, last_at
        if function == "slice":
            return _slice(values[0], values[1:]), last, last_at
        callee = arguments[0][0]
        if callee.startswith("("):  # Go names a parenthesized pipeline without its parentheses
            callee = " ".join(w for w, _ in _words(callee[1:-1], 0))
        if values[0] is None:
            raise _CallError("call of nil")
        raise _CallError(f"non-function {callee} of type {go_type(values[0])}")  # docker's data holds no function
    except OutputTooLong:
        raise _failure(budget.text, at, None, f"the sandbox prints at most {MAX_OUTPUT_CHARS} characters of "
                                              "--format output") from None
    except _CallError as problem:
        raise _failure(budget.text, at, command, f"error calling {function}: {problem}") from None


def _index_argument(index, size: int) -> int:
    """text/template's indexArg: an integer from 0 to ``size``."""
    if index is None:
        raise _CallError("cannot index slice/array with nil")
    if not isinstance(index, int) or isinstance(index, bool):
        raise _CallError(f"cannot index slice/array with type {go_type(index)}")
    if index < 0 or index > size:
        raise _CallError(f"index out of range: {index}")
    return index


def _is_struct(value) -> bool:
    """A dict that stands for a Go struct (its ``go_type`` is not a map type)."""
    named = getattr(value, "go_type", None)
    return isinstance(value, dict) and bool(named) and not named.lstrip("*").startswith("map[")


def _index(item, keys):
    """text/template's ``index``: each key in turn indexes a list or a string (by byte) or looks up a map, where a
    missing key is the element type's zero value."""
    if item is None:
        raise _CallError("index of untyped nil")
    for key in keys:
        if isinstance(item, (list, str)) and not hasattr(item, "go_text"):
            length = len(item) if isinstance(item, list) else len(to_bytes(item))
            position = _index_argument(key, length)
            if position == length:  # indexArg lets the length through; reflect then panics
                raise _CallError(f"reflect: {'slice' if isinstance(item, list) else 'string'} index out of range")
            item = item[position] if isinstance(item, list) else GoByte(to_bytes(item)[position])
        elif isinstance(item, dict) and not _is_struct(item):
            if not isinstance(key, str):
                raise _CallError("value is nil; should be of type string" if key is None else
                                 f"value has type {go_type(key)}; should be string")
            item = item[key] if key in item else _zero(item)
        else:
            raise _CallError(f"can't index item of type {go_type(item).lstrip('*')}")
    return item


#: The zero values of the map element types the sandbox's data names (``map[string]string``...).
_ZEROS = {"string": "", "int": 0, "bool": False}


def _zero(mapping: dict):
    """What ``index`` gives for a key a map lacks: its element type's zero value (nil for ``interface {}``)."""
    element = getattr(mapping, "go_type", "map[string]interface {}").split("]", 1)[1]
    if element in _ZEROS:
        return _ZEROS[element]
    if element == "interface {}":
        return None
    raise NotSimulated(f"index of a key a {mapping.go_type} lacks in --format")


def _slice(item, indexes):
    """text/template's ``slice``: ``slice x 1 2`` is ``x[1:2]``; a string by bytes, at most 2 indexes for it, 3 for
    a list."""
    if item is None:
        raise _CallError("slice of untyped nil")
    if len(indexes) > 3:
        raise _CallError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise _CallError("cannot 3-index slice a string")
        raw = to_bytes(item)
    elif isinstance(item, list) and not hasattr(item, "go_text"):
        raw = item
    else:
        raise _CallError(f"can't slice item of type {go_type(item)}")
    bounds = [0, len(raw)]
    for position, index in enumerate(indexes):  # a list's capacity is taken as its length
        if position < 2:
            bounds[position] = _index_argument(index, len(raw))
        else:
            bounds.append(_index_argument(index, len(raw)))
    if bounds[0] > bounds[1]:
        raise _CallError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(bounds) == 3 and bounds[1] > bounds[2]:
        raise _CallError(f"invalid slice index: {bounds[1]} > {bounds[2]}")
    part = raw[bounds[0]:bounds[1]]
    if isinstance(item, str):
        return to_text(part)
    return GoSlice(item.go_type, part) if getattr(item, "go_type", None) else part


#: Go's comparison and logic functions (text/template funcs.go), done here.
_LOGIC = frozenset("eq ne lt le gt ge not and or".split())


def _logic(function: str, at: int, words, data, variables, budget: _Budget):
    """``eq``/``ne``/``lt``/``le``/``gt``/``ge``/``not``/``and``/``or`` as Go's text/template runs them: ``and``
    and ``or`` evaluate their arguments only until the answer is known and return that argument itself; the
    comparisons take basic values (bool, number, string) of one kind, else Go's error."""
    arguments = words[1:]
    command = _command_text(words)
    last, last_at = (arguments or words)[-1]

    def value(index: int):
        word, word_at = arguments[index]
        return _plain(_operand(word, word_at, data, variables, budget))

    want = {"not": 1, "ne": 2, "lt": 2, "le": 2, "gt": 2, "ge": 2}.get(function)
    if want is not None and len(arguments) != want:
        raise _failure(budget.text, at, function, f"wrong number of args for {function}: want {want} got "
                       f"{len(arguments)}")
    if function in ("and", "or", "eq") and not arguments:
        raise _failure(budget.text, at, function,
                       f"wrong number of args for {function}: want at least 1 got 0")
    if function == "not":
        return not value(0), last, last_at
    if function in ("and", "or"):
        for index in range(len(arguments)):
            current = value(index)
            if bool(current) == (function == "or") or index == len(arguments) - 1:
                return current, last, last_at
    try:
        if function == "eq":
            if len(arguments) == 1:
                raise _Incomparable("missing argument for comparison")
            first = value(0)
            return any(_equal(first, value(i)) for i in range(1, len(arguments))), last, last_at
        left, right = value(0), value(1)
        if function == "ne":
            return not _equal(left, right), last, last_at
        less = _less(left, right)
        if function in ("le", "gt"):
            less_or_equal = less or _equal(left, right)
            return (less_or_equal if function == "le" else not less_or_equal), last, last_at
        return (less if function == "lt" else not less), last, last_at
    except _Incomparable as problem:
        raise _failure(budget.text, at, command, f"error calling {function}: {problem}") from None


class _Incomparable(Exception):
    """Go's comparison errors (text/template funcs.go)."""


def _kind(value) -> str | None:
    """Go's basicKind of a decoded value: None for nil (an invalid value), "other" for what is not basic."""
    if value is None:
        return None
    for python, kind in ((bool, "bool"), (int, "int"), (float, "float"), (str, "string")):
        if isinstance(value, python):
            return kind
    return "other"


def _equal(left, right) -> bool:
    """Go's ``eq`` of two values: nil equals only nil; different kinds cannot be compared."""
    kinds = _kind(left), _kind(right)
    if None in kinds:
        return kinds[0] == kinds[1]
    if kinds[0] != kinds[1]:
        raise _Incomparable("incompatible types for comparison")
    if kinds[0] != "other":
        return left == right
    if go_type(left) != go_type(right):  # canCompare: neither type is assignable to the other
        raise _Incomparable(f"non-comparable types {sprintf('%s', [left])}: {go_type(left)}, {go_type(right)}: "
                            f"{sprintf('%v', [right])}")
    if isinstance(left, GoNil) or isinstance(right, GoNil):
        return isinstance(left, GoNil) and isinstance(right, GoNil)
    if not _is_struct(right):  # slices and maps have no ==
        raise _Incomparable(f"non-comparable type {sprintf('%s', [right])}: {go_type(right)}")
    raise NotSimulated("'eq' or 'ne' on a whole Go struct in --format", "compare one field of it")


def _less(left, right) -> bool:
    """Go's ``lt`` of two basic values of one ordered kind."""
    kinds = _kind(left), _kind(right)
    if None in kinds or "other" in kinds:  # basicKind refuses what is not a basic value
        raise _Incomparable("invalid type for comparison")
    if kinds[0] != kinds[1]:
        raise _Incomparable("incompatible types for comparison")
    if "bool" in kinds:
        raise _Incomparable("invalid type for comparison")
    return left < right


def _title(text: str) -> str:
    """Go's strings.Title (what docker's ``title`` calls): the first letter of each word upper-cased, the rest kept; a
    word ends at anything but a letter, a digit or ``_`` (outside ASCII, at spaces only)."""
    def separates(char: str) -> bool:
        if char <= "\x7f":
            return not (char.isascii() and (char.isalnum() or char == "_"))
        return not (char.isalpha() or char.isdigit()) and char.isspace()

    out, previous = [], " "
    for char in text:
        out.append(char.upper() if separates(previous) and len(char.upper()) == 1 else char)
        previous = char
    return "".join(out)


def _plain(value):
    return value.value if isinstance(value, _Literal) else value


def _typed(value, kind: str, word: str, at: int, budget: _Budget):
    """An argument as the function's parameter type takes it, or Go's error for one it cannot."""
    if kind == "any":
        return _plain(value)
    if kind == "int":
        plain = _plain(value)
        if isinstance(plain, int) and not isinstance(plain, bool):
            return plain
        if isinstance(value, _Literal):
            raise _failure(budget.text, at, word, f"expected integer; found {word}")
        raise _failure(budget.text, at, word, f"wrong type for value; expected int; got {go_type(plain)}")
    go = "[]string" if kind == "list" else "string"
    if isinstance(value, _Literal):
        if kind == "string" and isinstance(value.value, str):
            return value.value
        problem = f"expected string; found {word}" if kind == "string" else f"can't handle {word} for arg of type {go}"
        raise _failure(budget.text, at, word, problem)
    if value is None or (kind == "list" and isinstance(value, list)) or (kind == "string" and isinstance(value, str)):
        return value if value is not None or kind == "list" else ""
    raise _failure(budget.text, at, word, f"wrong type for value; expected {go}; got {go_type(value)}")


def _path(path: str, at: int, data, variables, budget: _Budget, node: tuple[str, int] | None = None):
    """A field chain's value (``.A.B``, ``$v.A``); ``node`` the node Go's errors name instead of the chain (the last
    one evaluated inside ``(pipeline).A``)."""
    if path in (".", "$"):
        return data if path == "." else variables["$"]
    head, _, rest = path.partition(".") if path.startswith("$") else ("", "", path[1:])
    value = data
    parts = rest.split(".") if rest else []
    # Go's parser gives a chain of fields (.A.B) the position of its second field, a variable's ($v.A) its first
    where = at + len(parts[0]) + 1 if len(parts) > 1 and not head else at + len(head) if parts else at
    context, where = node or (path, where)
    if head:
        if head not in variables:
            raise _failure(budget.text, where, context, f"undefined variable: {head}")
        value = variables[head]
    for part in parts:
        if not isinstance(value, dict) or part not in value:
            if getattr(value, "missing_is_zero", False):  # a typed Go map: the zero value, and so on down the chain
                return None
            if hasattr(value, "missing"):  # data that words its own missing key (a map read with missingkey=error)
                raise _failure(budget.text, where, context, value.missing(part))
            kind = getattr(value, "go_type", None) or \
                ("map[string]interface {}" if isinstance(value, dict) else go_type(value))
            raise _failure(budget.text, where, context, f"can't evaluate field {part} in type {kind}")
        value = value[part]
    return value
