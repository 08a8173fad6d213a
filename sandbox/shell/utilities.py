"""The utilities, once for every machine: what coreutils (GNU, on a learner's host and in Debian images) and BusyBox
(in Alpine and busybox images) print. Where the two differ, the machine's ``tools`` chooses the words.

Each utility is a function of one `Call` returning an exit status; a machine installs the ones its image has
(``UTILITIES``), and the shell's built-ins reuse ``echo``, ``printf``, ``test`` and ``pwd``.
"""

from __future__ import annotations

import base64 as _base64
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from sandbox.shell.budget import OutOfMemory
from sandbox.shell.syntax import is_number

if TYPE_CHECKING:
    from sandbox.shell.execute import Call

#: The kernel every simulated machine reports: Docker Desktop's LinuxKit VM of spring 2025.
KERNEL_RELEASE = "6.10.14-linuxkit"
KERNEL_VERSION = "#1 SMP PREEMPT_DYNAMIC Fri Mar 28 09:27:26 UTC 2025"


def _gnu(call: "Call") -> bool:
    return call.shell.machine.tools == "gnu"


class _Inputs:
    """The named files (``-`` or none: stdin) as (name, text) pairs, each read only when its turn comes, so
    ``cat f f f ...`` never holds more than one file; errors are written in the tool's words as they are met.
    Reading an open terminal (``docker run -i`` with nothing piped) waits for ever."""

    def __init__(self, call: "Call", names: list[str], tool: str) -> None:
        self.call, self.names, self.tool = call, names, tool
        self.status = 0

    def __iter__(self):
        call = self.call
        if not self.names:
            if call.stdin is None and call.shell.machine.stdin_open:
                from sandbox.shell.execute import Blocked

                raise Blocked
            yield "-", call.stdin or ""
            return
        for name in self.names:
            if name == "-":
                yield name, call.stdin or ""
                continue
            path = call.path(name)
            content = call.shell.machine.read(path)
            if content is not None:
                yield name, content.decode(errors="replace")
            elif call.shell.machine.is_dir(path):
                call.err(f"{self.tool}: {name}: Is a directory\n" if _gnu(call)
                         else f"{self.tool}: read error: Is a directory\n")
                self.status = 1
            else:
                call.err(f"{self.tool}: {name}: No such file or directory\n" if _gnu(call)
                         else f"{self.tool}: can't open '{name}': No such file or directory\n")
                self.status = 1

    def joined(self) -> str:
        """All the texts at once, for tools that must see everything (sort); bounded by the stream budget."""
        texts, size = [], 0
        for _, text in self:
            size += len(text)
            if size > self.call.shell.budget.stream:
                from sandbox.shell.budget import BudgetExhausted

                raise BudgetExhausted(f"stopped {self.tool} reading more than "
                                      f"{self.call.shell.budget.stream // (1024 * 1024)} MiB")
            texts.append(text)
        return "".join(texts)


def _split_options(args: list[str], with_value: str = "") -> tuple[dict[str, str], list[str]]:
    """Short options (``-nv``, ``-n 3``, ``-n3``) and operands, stopping at ``--``."""
    options: dict[str, str] = {}
    operands: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            operands.extend(args[i + 1:])
            break
        if arg.startswith("-") and len(arg) > 1 and not re.fullmatch(r"-\d+", arg):
            j = 1
            while j < len(arg):
                letter = arg[j]
                if letter in with_value:
                    value = arg[j + 1:] or (args[i + 1] if i + 1 < len(args) else "")
                    if not arg[j + 1:]:
                        i += 1
                    options[letter] = value
                    break
                options[letter] = ""
                j += 1
        else:
            operands.append(arg)
        i += 1
    return options, operands


# --- output of text -----------------------------------------------------------------------------------------------


def echo(call: "Call") -> int:
    """``echo [-neE] WORDS``: dash interprets escapes always and takes only ``-n``."""
    flavour = call.shell.flavour
    args = call.argv[1:]
    newline, escapes = True, flavour.echo_escapes
    options = _echo_options(flavour.echo_flags)
    while args and options.fullmatch(args[0]):
        flags, args = args[0], args[1:]
        newline = newline and "n" not in flags
        if "e" in flags or "E" in flags:
            escapes = flags.rfind("e") > flags.rfind("E")
    text = " ".join(args)
    if escapes:
        text, stop = _escapes(text, echo=True)
        newline = newline and not stop
    call.out(text + ("\n" if newline else ""))
    return 0


@lru_cache(maxsize=8)
def _echo_options(letters: str) -> re.Pattern:
    return re.compile(f"-[{letters}]+")


_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v",
                   "e": "\x1b", '"': '"'}


def _escapes(text: str, echo: bool = False) -> tuple[str, bool]:
    """Backslash escapes as echo -e / printf %b read them; True when ``\\c`` stopped the output."""
    if "\\" not in text:
        return text, False
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\" or i + 1 >= len(text):
            out.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "c":
            return "".join(out), True
        if nxt in _SIMPLE_ESCAPES and not (nxt == '"' and echo):
            out.append(_SIMPLE_ESCAPES[nxt])
            i += 2
        elif nxt == "0" or (is_number(nxt) and not echo and nxt < "8"):
            match = re.match(r"0?[0-7]{0,3}" if echo else r"[0-7]{1,3}", text[i + 1:])
            digits = match.group(0) if match else "0"
            out.append(chr(int(digits.lstrip("0") or "0", 8) % 256))
            i += 1 + len(digits)
        elif nxt == "x" and re.match(r"[0-9a-fA-F]", text[i + 2:i + 3]):
            digits = re.match(r"[0-9a-fA-F]{1,2}", text[i + 2:]).group(0)
            out.append(chr(int(digits, 16)))
            i += 2 + len(digits)
        else:
            out.append(ch)
            i += 1
    return "".join(out), False


_DIRECTIVE = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([diouxXcsbeEfgG%])")


def printf(call: "Call") -> int:
    """``printf FORMAT [ARG...]``: the format is reused while arguments remain; each round is written before the
    next is built, and a field width is checked against the word budget before it is padded."""
    shell = call.shell
    args = call.argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        call.err(shell.flavour.say("printf_usage", "printf" if shell.flavour.name == "ash" else shell.name,
                                   call.line, shell.interactive))
        return 2 if shell.flavour.name != "ash" else 1
    fmt, values = args[0], list(args[1:])
    status = 0
    position = 0
    while True:
        before = position
        pieces: list[str] = []
        stop = False
        for literal, directive in _format_pieces(fmt):
            if literal:
                text, stop = _escapes(literal)
                pieces.append(text)
                if stop:
                    break
            if directive is None:
                continue
            flags, width, precision, conversion = directive
            if conversion == "%":
                pieces.append("%")
                continue
            if width == "*":
                width, position = (values[position] if position < len(values) else "0"), position + 1
            if precision == "*":
                precision, position = (values[position] if position < len(values) else "0"), position + 1
            value = values[position] if position < len(values) else None
            position += value is not None
            text, ok = _convert(conversion, flags, width, precision, value, shell.budget.word)
            if not ok:
                call.err(shell.flavour.say("printf_invalid", shell.name, call.line, shell.interactive,
                                           value=value))
                status = 1
            if conversion == "b":
                text, stop = _escapes(text)
            pieces.append(text)
            if stop:
                break
        call.out("".join(pieces))
        if stop or position >= len(values) or position == before:
            return status


@lru_cache(maxsize=256)
def _format_pieces(fmt: str) -> tuple[tuple[str, tuple | None], ...]:
    pieces = []
    start = 0
    for match in _DIRECTIVE.finditer(fmt):
        pieces.append((fmt[start:match.start()], match.groups()))
        start = match.end()
    pieces.append((fmt[start:], None))
    return tuple(pieces)


def _convert(conversion: str, flags: str, width: str | None, precision: str | None, value: str | None,
             limit: int) -> tuple[str, bool]:
    """One printf directive applied to one argument; (text, whether the argument was valid)."""
    ok = True
    try:
        width_number = int(width) if width else 0
        precision_number = int(precision) if precision not in (None, "") else (0 if precision == "" else None)
    except ValueError:
        width_number, precision_number = 0, None
    if abs(width_number) > limit or (precision_number or 0) > limit:
        raise OutOfMemory(width_number)
    if conversion in "sb":
        text = value or ""
        spec = f"%{flags.replace('0', '')}{width_number or ''}" + (
            f".{precision_number}" if precision_number is not None else "") + "s"
        return spec % text, ok
    if conversion == "c":
        return (f"%{flags}{width_number or ''}s") % ((value or "")[:1]), ok
    if conversion in "diouxXc":
        number = 0
        if value:
            text = value.strip()
            if text[:1] in "'\"":
                number = ord(text[1]) if len(text) > 1 else 0
            else:
                try:
                    number = int(text, 0) if not re.fullmatch(r"[+-]?0\d+", text) else int(text, 8)
                except ValueError:
                    match = re.match(r"[+-]?\d+", text)
                    number, ok = (int(match.group(0)) if match else 0), False
        if conversion == "u" and number < 0:
            number += 1 << 64
        spec = "d" if conversion in "diu" else conversion
        return (f"%{flags}{width_number or ''}" + (f".{precision_number}" if precision_number is not None else "")
                + spec) % number, ok
    number_f = 0.0
    if value:
        try:
            number_f = float(value)
        except ValueError:
            ok = False
    return (f"%{flags}{width_number or ''}" + (f".{precision_number}" if precision_number is not None else "")
            + conversion) % number_f, ok


def cat(call: "Call") -> int:
    """``cat [FILE...]``: files in order, ``-`` or none for stdin."""
    names = [a for a in call.argv[1:] if not a.startswith("-") or a == "-"]
    inputs = _Inputs(call, names, "cat")
    for _, text in inputs:
        call.out(text)
    return inputs.status


def tee(call: "Call") -> int:
    """``tee [-a] FILE...``: stdin to stdout and to each file."""
    options, names = _split_options(call.argv[1:])
    text = call.stdin or ""
    status = 0
    for name in names:
        path = call.path(name)
        if call.shell.machine.is_dir(path):
            call.err(f"tee: {name}: Is a directory\n" if _gnu(call) else f"tee: can't open '{name}': Is a directory\n")
            status = 1
            continue
        stream = call.shell.open_file(name, "a" in options, call.io.err)
        stream.write(text)
    call.out(text)
    return status


# --- text filters ---------------------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _count(call: "Call", tool: str, value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        call.err(f"{tool}: invalid number of lines: ‘{value}’\n" if _gnu(call) else f"{tool}: invalid number '{value}'\n")
        return None


def head(call: "Call") -> int:
    """``head [-n N | -N] [FILE...]``."""
    return _head_or_tail(call, last=False)


def tail(call: "Call") -> int:
    """``tail [-n N | -N] [FILE...]``; ``tail -f`` waits for ever."""
    from sandbox.shell.execute import Blocked

    if "-f" in call.argv[1:] or "-F" in call.argv[1:]:
        raise Blocked
    return _head_or_tail(call, last=True)


def _head_or_tail(call: "Call", last: bool) -> int:
    tool = "tail" if last else "head"
    args = [f"-n{a[1:]}" if re.fullmatch(r"-\d+", a) else a for a in call.argv[1:] if a not in ("-f", "-F")]
    options, names = _split_options(args, with_value="nc")
    count = _count(call, tool, options.get("n", "10").lstrip("+-") or "10")
    if count is None:
        return 1
    from_start = last and options.get("n", "").startswith("+")
    inputs = _Inputs(call, names, tool)
    for index, (name, text) in enumerate(inputs):
        if len(names) > 1:
            call.out(("\n" if index else "") + f"==> {name} <==\n")
        lines = _lines(text)
        if from_start:
            chosen = lines[max(count - 1, 0):]
        elif last:
            chosen = lines[-count:] if count else []
        else:
            chosen = lines[:count]
        call.out("".join(chosen))
    return inputs.status


def grep(call: "Call") -> int:
    """``grep [-ivcnqwxEF] PATTERN [FILE...]``: basic or extended regular expressions, exit 1 when nothing
    matched."""
    options, operands = _split_options(call.argv[1:], with_value="e")
    if "e" in options:
        pattern, names = options["e"], operands
    elif operands:
        pattern, names = operands[0], operands[1:]
    else:
        call.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n" if _gnu(call)
                 else "Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } "
                 "[FILE]...\n")
        return 2
    flags = re.IGNORECASE if "i" in options else 0
    if "F" in options:
        expression = re.escape(pattern)
    elif "E" in options or call.argv[0].endswith("egrep"):
        expression = pattern
    else:  # basic regular expressions: \( \) \{ \} \| are the operators, the bare ones are literal
        expression = re.sub(r"\\([(){}|+?])|([(){}|+?])",
                            lambda m: m.group(1) if m.group(1) else "\\" + m.group(2), pattern)
    if "w" in options:
        expression = rf"\b(?:{expression})\b"
    if "x" in options:
        expression = rf"(?:{expression})"
    try:
        compiled = re.compile(expression, flags)
    except re.error:
        call.err("grep: Unmatched ( or \\(\n" if _gnu(call) else f"grep: bad regex '{pattern}'\n")
        return 2
    inputs = _Inputs(call, names, "grep")
    found = 0
    for name, text in inputs:
        hits = []
        for number, line in enumerate(_lines(text), 1):
            body = line.rstrip("\n")
            matched = bool(compiled.fullmatch(body) if "x" in options else compiled.search(body))
            if matched != ("v" in options):
                prefix = f"{name}:" if len(names) > 1 else ""
                prefix += f"{number}:" if "n" in options else ""
                hits.append(prefix + body + "\n")
        found += len(hits)
        if "q" in options:
            continue
        if "c" in options:
            call.out((f"{name}:" if len(names) > 1 else "") + f"{len(hits)}\n")
        elif "l" in options:
            if hits:
                call.out(f"{name if names else '(standard input)'}\n")
        else:
            call.out("".join(hits))
    if inputs.status and "s" not in options:
        return 2
    return 0 if found else 1


def wc(call: "Call") -> int:
    """``wc [-lwc] [FILE...]``: GNU pads to the widest count, BusyBox to 7 (9 for stdin)."""
    options, names = _split_options(call.argv[1:])
    chosen = [letter for letter in "lwcm" if letter in options] or ["l", "w", "c"]
    inputs = _Inputs(call, names, "wc")
    rows, labels = [], []
    for name, text in inputs:
        labels.append(name)
        counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode()), "m": len(text)}
        rows.append([counts[letter] for letter in chosen])
    if len(names) > 1:
        rows.append([sum(row[i] for row in rows) for i in range(len(chosen))])  # 0s when no file could be read
        labels.append("total")
    if _gnu(call):
        width = 1 if len(chosen) == 1 and len(rows) == 1 else max((len(str(v)) for row in rows for v in row), default=1)
        if not names and len(chosen) > 1:
            width = max(width, 7)
        for index, row in enumerate(rows):
            line = " ".join(f"{value:>{width}}" for value in row)
            call.out(line + (f" {labels[index]}" if names else "") + "\n")
    else:
        for index, row in enumerate(rows):
            width = 9 if not names and len(chosen) > 1 else 7
            line = " ".join(f"{value:>{width}}" for value in row) if len(chosen) > 1 else str(row[0])
            call.out(line + (f" {labels[index]}" if names else "") + "\n")
    return inputs.status


def sort(call: "Call") -> int:
    """``sort [-rnu] [FILE...]``."""
    options, names = _split_options(call.argv[1:], with_value="kt")
    inputs = _Inputs(call, names, "sort")
    lines = inputs.joined().splitlines()

    def key(line: str):
        if "k" in options:
            fields = line.split(options.get("t") or None)
            column = int(re.match(r"\d+", options["k"]).group(0)) - 1 if re.match(r"\d+", options["k"]) else 0
            line = fields[column] if column < len(fields) else ""
        if "n" in options:
            match = re.match(r"\s*-?\d+(\.\d+)?", line)
            return (float(match.group(0)) if match else 0.0, line)
        return (line.lower(), line) if "f" in options else line

    lines.sort(key=key, reverse="r" in options)
    if "u" in options:
        unique, seen = [], set()
        for line in lines:
            marker = key(line)
            if marker not in seen:
                seen.add(marker)
                unique.append(line)
        lines = unique
    call.out("".join(f"{line}\n" for line in lines))
    return inputs.status


def uniq(call: "Call") -> int:
    """``uniq [-cdu] [FILE]``: adjacent repeated lines."""
    options, names = _split_options(call.argv[1:])
    inputs = _Inputs(call, names[:1], "uniq")
    groups: list[list] = []
    for line in inputs.joined().splitlines():
        if groups and groups[-1][0] == line:
            groups[-1][1] += 1
        else:
            groups.append([line, 1])
    out = []
    for line, count in groups:
        if "d" in options and count < 2 or "u" in options and count > 1:
            continue
        out.append(f"{count:>7} {line}\n" if "c" in options else f"{line}\n")
    call.out("".join(out))
    return inputs.status


def cut(call: "Call") -> int:
    """``cut -d DELIM -f LIST | -c LIST [FILE...]``."""
    options, names = _split_options(call.argv[1:], with_value="dfc")
    if "f" not in options and "c" not in options:
        call.err("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more "
                 "information.\n" if _gnu(call) else "cut: expected a list of bytes, characters, or fields\n")
        return 1
    wanted = set()
    for part in (options.get("f") or options.get("c") or "").split(","):
        low, dash, high = part.partition("-")
        try:
            start = int(low) if low else 1
            end = int(high) if high else (10_000 if dash else start)
        except ValueError:
            call.err(f"cut: invalid field value ‘{part}’\n" if _gnu(call) else f"cut: invalid number '{part}'\n")
            return 1
        wanted.update(range(start, min(end, 10_000) + 1))
    delimiter = options.get("d", "\t")[:1] or "\t"
    inputs = _Inputs(call, names, "cut")
    for _, text in inputs:
        out = []
        for line in text.splitlines():
            if "c" in options:
                out.append("".join(ch for index, ch in enumerate(line, 1) if index in wanted) + "\n")
            elif delimiter not in line:
                out.append(line + "\n")
            else:
                fields = line.split(delimiter)
                out.append(delimiter.join(f for index, f in enumerate(fields, 1) if index in wanted) + "\n")
        call.out("".join(out))
    return inputs.status


def _tr_set(text: str) -> str:
    text, _ = _escapes(text)
    classes = {"[:lower:]": "abcdefghijklmnopqrstuvwxyz", "[:upper:]": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               "[:digit:]": "0123456789", "[:space:]": " \t\n\r\f\v", "[:blank:]": " \t"}
    for name, members in classes.items():
        text = text.replace(name, members)
    return re.sub(r"(.)-(.)", lambda m: "".join(chr(c) for c in range(ord(m.group(1)), ord(m.group(2)) + 1))
                  if ord(m.group(1)) <= ord(m.group(2)) else m.group(0), text)


def tr(call: "Call") -> int:
    """``tr [-d] [-s] SET1 [SET2]``."""
    options, sets = _split_options(call.argv[1:])
    text = call.stdin or ""
    if not sets:
        call.err("tr: missing operand\nTry 'tr --help' for more information.\n" if _gnu(call)
                 else "BusyBox v1.37.0 (2024-12-13 22:36:51 UTC) multi-call binary.\n\nUsage: tr [-cds] STRING1 "
                 "[STRING2]\n")
        return 1
    first = _tr_set(sets[0])
    if "d" in options:
        text = text.translate({ord(ch): None for ch in first})
    elif len(sets) > 1:
        second = _tr_set(sets[1])
        if second:
            second = second + second[-1] * max(0, len(first) - len(second))
            text = text.translate({ord(a): b for a, b in zip(first, second)})
    if "s" in options:
        squeeze = _tr_set(sets[-1])
        text = re.sub("([" + re.escape(squeeze) + "])\\1+", r"\1", text) if squeeze else text
    call.out(text)
    return 0


def base64(call: "Call") -> int:
    """``base64 [-d] [FILE]``: GNU wraps at 76 columns."""
    options, names = _split_options(call.argv[1:])
    inputs = _Inputs(call, names[:1], "base64")
    data = inputs.joined()
    status = inputs.status
    if "d" in options:
        try:
            call.out(_base64.b64decode("".join(data.split()), validate=True).decode(errors="replace"))
        except ValueError:
            call.err("base64: invalid input\n")
            return 1
        return status
    encoded = _base64.b64encode(data.encode()).decode()
    call.out("".join(encoded[i:i + 76] + "\n" for i in range(0, len(encoded), 76)))
    return status


def seq(call: "Call") -> int:
    """``seq [FIRST [STEP]] LAST``: each number is charged to the budget as it is written."""
    args = call.argv[1:]
    try:
        numbers = [int(a) for a in args]
    except ValueError:
        bad = next(a for a in args if not re.fullmatch(r"[+-]?\d+", a))
        call.err(f"seq: invalid floating point argument: ‘{bad}’\nTry 'seq --help' for more information.\n"
                 if _gnu(call) else f"seq: invalid number '{bad}'\n")
        return 1
    if not 1 <= len(numbers) <= 3:
        call.err("seq: missing operand\nTry 'seq --help' for more information.\n")
        return 1
    first, step, last = (1, 1, numbers[0]) if len(numbers) == 1 else (
        (numbers[0], 1, numbers[1]) if len(numbers) == 2 else tuple(numbers))
    if step == 0:
        call.err("seq: invalid Zero increment value: ‘0’\n")
        return 1
    chunk: list[str] = []
    current = first
    while (current <= last) if step > 0 else (current >= last):
        chunk.append(f"{current}\n")
        if len(chunk) == 4096:
            call.out("".join(chunk))
            chunk = []
        current += step
    call.out("".join(chunk))
    return 0


def xargs(call: "Call") -> int:
    """``xargs [-n N] [-I R] COMMAND [ARG...]``: runs COMMAND with the words read from stdin."""
    options, rest = _split_options(call.argv[1:2] if call.argv[1:2] and call.argv[1].startswith("-") else [], "nI")
    args = call.argv[1:]
    per_run, replace = None, None
    while args and args[0].startswith("-"):
        if args[0] in ("-n", "-I") and len(args) > 1:
            per_run, replace = (int(args[1]) if args[0] == "-n" and is_number(args[1]) else per_run,
                                args[1] if args[0] == "-I" else replace)
            args = args[2:]
        elif args[0].startswith("-n") and is_number(args[0][2:]):
            per_run, args = int(args[0][2:]), args[1:]
        elif args[0] in ("-r", "--no-run-if-empty", "-0", "-t"):
            args = args[1:]
        else:
            break
    command = args or ["echo"]
    text = call.stdin or ""
    if replace is not None:
        status = 0
        for line in text.splitlines():
            if line.strip():
                status = call.run([part.replace(replace, line) for part in command]) or status
        return 123 if status else 0
    words = text.split()
    if not words and command != ["echo"] and ("-r" in call.argv or _gnu(call) is False):
        return 0
    groups = [words[i:i + per_run] for i in range(0, len(words), per_run)] if per_run else [words]
    status = 0
    for group in groups or [[]]:
        code = call.run([*command, *group])
        if code == 127:
            return 127
        status = status or code
    return 123 if status else 0


# --- files ------------------------------------------------------------------------------------------------------


def ls(call: "Call") -> int:
    """``ls [-1aAl] [PATH...]``: names sorted; columns on a terminal, one per line otherwise."""
    machine = call.shell.machine
    flags = "".join(a[1:] for a in call.argv[1:] if a.startswith("-") and a != "-")
    targets = [a for a in call.argv[1:] if not a.startswith("-") or a == "-"] or ["."]
    status, blocks, plain = 0, [], []
    for target in targets:
        path = call.path(target)
        if machine.is_file(path):
            plain.append(target)
        elif machine.is_dir(path):
            entries = machine.list_dir(path)
            if "a" not in flags and "A" not in flags:
                entries = [e for e in entries if not e.startswith(".")]
            if "a" in flags:
                entries = sorted([".", "..", *entries])
            blocks.append((target, entries))
        else:
            call.err(f"ls: cannot access '{target}': No such file or directory\n" if _gnu(call)
                     else f"ls: {target}: No such file or directory\n")
            status = 2 if _gnu(call) else 1
    columns = machine.tty and "1" not in flags and "l" not in flags

    def show(entries: list[str]) -> None:
        if not entries:
            return
        if columns and len("  ".join(entries)) < 80:
            call.out("  ".join(entries) + "\n")
        else:
            call.out("".join(f"{entry}\n" for entry in entries))

    show(plain)
    for index, (target, entries) in enumerate(blocks):
        if len(targets) > 1:
            call.out(("\n" if index or plain else "") + f"{target}:\n")
        show(entries)
    return status


def mkdir(call: "Call") -> int:
    """``mkdir [-p] DIR...``."""
    options, names = _split_options(call.argv[1:])
    machine = call.shell.machine
    if not names:
        call.err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n" if _gnu(call)
                 else "BusyBox v1.37.0 (2024-12-13 22:36:51 UTC) multi-call binary.\n\nUsage: mkdir [-m MODE] [-p] "
                 "DIRECTORY...\n")
        return 1
    status = 0
    for name in names:
        path = call.path(name)
        parent = path.rsplit("/", 1)[0] or "/"
        if machine.exists(path):
            if "p" in options and machine.is_dir(path):
                continue
            call.err(f"mkdir: cannot create directory ‘{name}’: File exists\n" if _gnu(call)
                     else f"mkdir: can't create directory '{name}': File exists\n")
            status = 1
            continue
        if not machine.is_dir(parent) and "p" not in options:
            call.err(f"mkdir: cannot create directory ‘{name}’: No such file or directory\n" if _gnu(call)
                     else f"mkdir: can't create directory '{name}': No such file or directory\n")
            status = 1
            continue
        missing = []
        while path != "/" and not machine.is_dir(path):
            missing.append(path)
            path = path.rsplit("/", 1)[0] or "/"
        if missing and not machine.may_write(missing[-1]):
            shown = name if len(missing) == 1 else missing[-1]  # -p names the directory it failed to make
            call.err(f"mkdir: cannot create directory '{shown}': Permission denied\n" if _gnu(call)
                     else f"mkdir: can't create directory '{shown}': Permission denied\n")
            status = 1
            continue
        call.shell.budget.new_file()
        for made in reversed(missing):
            machine.directories.add(made)
            machine.made(made, directory=True)
    return status


def touch(call: "Call") -> int:
    """``touch FILE...``: creates empty files."""
    _, names = _split_options(call.argv[1:])
    machine = call.shell.machine
    status = 0
    for name in names:
        path = call.path(name)
        if machine.exists(path):
            continue
        if not machine.is_dir(path.rsplit("/", 1)[0] or "/"):
            call.err(f"touch: cannot touch '{name}': No such file or directory\n" if _gnu(call)
                     else f"touch: {name}: No such file or directory\n")
            status = 1
            continue
        if not machine.may_write(path):
            call.err(f"touch: cannot touch '{name}': Permission denied\n" if _gnu(call)
                     else f"touch: {name}: Permission denied\n")
            status = 1
            continue
        call.shell.budget.new_file()
        machine.files[path] = b""
    return status


def rm(call: "Call") -> int:
    """``rm [-rf] PATH...``."""
    options, names = _split_options(call.argv[1:])
    machine = call.shell.machine
    status = 0
    for name in names:
        path = call.path(name)
        if (path in machine.files or machine.is_dir(path) and path != "/") and not machine.may_write(path) and \
                ("r" in options or "R" in options or path in machine.files):
            call.err(f"rm: cannot remove '{name}': Permission denied\n" if _gnu(call)
                     else f"rm: can't remove '{name}': Permission denied\n")
            status = 1
            continue
        if path in machine.files:
            del machine.files[path]
        elif machine.is_dir(path):
            if "r" not in options and "R" not in options:
                call.err(f"rm: cannot remove '{name}': Is a directory\n" if _gnu(call)
                         else f"rm: '{name}' is a directory\n")
                status = 1
                continue
            prefix = path.rstrip("/") + "/"
            for collection in (machine.files, machine.directories):
                for item in [item for item in collection if item.startswith(prefix) or item == path]:
                    collection.remove(item) if isinstance(collection, set) else collection.pop(item)
        elif "f" not in options:
            call.err(f"rm: cannot remove '{name}': No such file or directory\n" if _gnu(call)
                     else f"rm: can't remove '{name}': No such file or directory\n")
            status = 1
    return status


def cp(call: "Call") -> int:
    """``cp [-r] SOURCE... DEST``."""
    return _copy(call, move=False)


def mv(call: "Call") -> int:
    """``mv SOURCE... DEST``."""
    return _copy(call, move=True)


def _copy(call: "Call", move: bool) -> int:
    tool = "mv" if move else "cp"
    options, names = _split_options(call.argv[1:])
    machine = call.shell.machine
    if len(names) < 2:
        call.err(f"{tool}: missing destination file operand after '{names[0]}'\n" if names and _gnu(call)
                 else f"{tool}: missing file operand\n")
        return 1
    *sources, destination = names
    target = call.path(destination)
    into_dir = machine.is_dir(target)
    status = 0
    for source in sources:
        path = call.path(source)
        final = f"{target.rstrip('/')}/{path.rsplit('/', 1)[1]}" if into_dir else target
        if machine.exists(path) and (not machine.may_write(final) or move and not machine.may_write(path)):
            if move:
                call.err(f"mv: cannot move '{source}' to '{destination}': Permission denied\n" if _gnu(call)
                         else f"mv: can't rename '{source}': Permission denied\n")
            else:
                kind = "directory" if machine.is_dir(path) else "regular file"
                call.err(f"cp: cannot create {kind} '{final if into_dir else destination}': Permission denied\n"
                         if _gnu(call) else f"cp: can't create '{final if into_dir else destination}': "
                         "Permission denied\n")
            status = 1
            continue
        if path in machine.files:
            if final not in machine.files:
                call.shell.budget.new_file()
            machine.files[final] = machine.files[path]
            if move:
                del machine.files[path]
        elif machine.is_dir(path) and (move or "r" in options or "R" in options or "a" in options):
            prefix = path.rstrip("/") + "/"
            for name in [n for n in machine.files if n.startswith(prefix)]:
                call.shell.budget.new_file()
                machine.files[final + "/" + name[len(prefix):]] = machine.files[name]
                if move:
                    del machine.files[name]
            machine.directories.add(final)
            if move:
                machine.directories.discard(path)
        elif machine.is_dir(path):
            call.err(f"cp: -r not specified; omitting directory '{source}'\n" if _gnu(call)
                     else f"cp: omitting directory '{source}'\n")
            status = 1
        else:
            call.err(f"{tool}: cannot stat '{source}': No such file or directory\n" if _gnu(call)
                     else f"{tool}: can't stat '{source}': No such file or directory\n")
            status = 1
    return status


def basename(call: "Call") -> int:
    """``basename PATH [SUFFIX]``."""
    args = call.argv[1:]
    if not args:
        call.err("basename: missing operand\n")
        return 1
    name = args[0].rstrip("/").rsplit("/", 1)[-1] or "/"
    if len(args) > 1 and name.endswith(args[1]) and name != args[1]:
        name = name[:-len(args[1])]
    call.out(name + "\n")
    return 0


def dirname(call: "Call") -> int:
    """``dirname PATH``."""
    args = call.argv[1:]
    if not args:
        call.err("dirname: missing operand\n")
        return 1
    path = args[0].rstrip("/")
    head_part = path.rsplit("/", 1)[0] if "/" in path else "."
    call.out((head_part or "/") + "\n")
    return 0


# --- the system ---------------------------------------------------------------------------------------------------


def pwd(call: "Call") -> int:
    """``pwd``."""
    call.out(call.shell.cwd + "\n")
    return 0


def true(call: "Call") -> int:
    """``true``."""
    return 0


def false(call: "Call") -> int:
    """``false``."""
    return 1


def env(call: "Call") -> int:
    """``env [-i] [NAME=VALUE...] [COMMAND...]``."""
    args = call.argv[1:]
    environment = dict(call.env)
    if args[:1] == ["-i"]:
        environment, args = {}, args[1:]
    while args and "=" in args[0] and not args[0].startswith("="):
        name, _, value = args[0].partition("=")
        environment[name] = value
        args = args[1:]
    if args:
        return call.shell.run_command(args, call.io, call.line, environment)
    call.out("".join(f"{name}={value}\n" for name, value in environment.items()))
    return 0


def printenv(call: "Call") -> int:
    """``printenv [NAME...]``."""
    names = call.argv[1:]
    if not names:
        call.out("".join(f"{name}={value}\n" for name, value in call.env.items()))
        return 0
    found = [call.env[name] for name in names if name in call.env]
    call.out("".join(f"{value}\n" for value in found))
    return 0 if len(found) == len(names) else 1


def hostname(call: "Call") -> int:
    """``hostname``."""
    call.out(call.shell.machine.hostname + "\n")
    return 0


def uname(call: "Call") -> int:
    """``uname [-asnrvmo]``."""
    flags = "".join(a[1:] for a in call.argv[1:] if a.startswith("-")) or "s"
    name = call.shell.machine.hostname
    arch = call.shell.machine.arch
    if "a" in flags:
        tail_text = f"{arch} GNU/Linux" if _gnu(call) else f"{arch} Linux"
        call.out(f"Linux {name} {KERNEL_RELEASE} {KERNEL_VERSION} {tail_text}\n")
        return 0
    fields = {"s": "Linux", "n": name, "r": KERNEL_RELEASE, "v": KERNEL_VERSION, "m": arch,
              "o": "GNU/Linux" if _gnu(call) else "Linux"}
    call.out(" ".join(fields[f] for f in "snrvmo" if f in flags) + "\n")
    return 0


def date(call: "Call") -> int:
    """``date``: the world's clock, in UTC."""
    now = call.shell.machine.now
    call.out(f"{now:%a %b} {now.day:>2} {now:%H:%M:%S} UTC {now.year}\n")
    return 0


def whoami(call: "Call") -> int:
    """``whoami``: the name of the user the machine runs as; a uid with no name in /etc/passwd is an error."""
    user = call.shell.machine.identity.split()[0]  # uid=1000(node), or uid=1000 without a name
    if "(" not in user:
        uid = user.removeprefix("uid=")
        call.err(f"whoami: cannot find name for user ID {uid}\n" if _gnu(call) else f"whoami: unknown uid {uid}\n")
        return 1
    call.out(user.split("(", 1)[1].rstrip(")") + "\n")
    return 0


def id_(call: "Call") -> int:
    """``id``: the machine's user and groups."""
    call.out(call.shell.machine.identity + "\n")
    return 0


def which(call: "Call") -> int:
    """``which NAME...``: the path the PATH search finds."""
    status = 0
    for name in call.argv[1:]:
        path = call.shell.machine.find(name, call.env.get("PATH") or call.shell.get("PATH"))
        if path is None:
            status = 1
        else:
            call.out(path + "\n")
    return status


#: ``sleep`` suffixes, as GNU and busybox accept them.
_SLEEP_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def sleep(call: "Call") -> int:
    """``sleep N[smhd]...``: time passes on the machine's clock; ``sleep infinity`` waits for ever."""
    from sandbox.shell.execute import Blocked

    args = call.argv[1:]
    if any(arg in ("infinity", "inf") for arg in args):
        raise Blocked
    if not args:
        call.err("sleep: missing operand\nTry 'sleep --help' for more information.\n" if _gnu(call)
                 else "BusyBox v1.37.0 (2024-12-13 22:36:51 UTC) multi-call binary.\n\nUsage: sleep [N]...\n")
        return 1
    total = 0.0
    for arg in args:
        number, unit = (arg[:-1], arg[-1]) if arg[-1:] in _SLEEP_UNITS else (arg, "s")
        try:
            total += float(number) * _SLEEP_UNITS[unit]
        except ValueError:
            call.err(f"sleep: invalid time interval ‘{arg}’\nTry 'sleep --help' for more information.\n"
                     if _gnu(call) else f"sleep: invalid number '{arg}'\n")
            return 1
    call.shell.machine.slept += min(max(total, 0.0), 10.0 ** 9)
    return 0


def clear(call: "Call") -> int:
    """``clear``: a notebook has no screen to clear."""
    return 0


# --- test ---------------------------------------------------------------------------------------------------------


def test(call: "Call") -> int:
    """``test EXPR`` and ``[ EXPR ]``: file, string and integer tests, ``!``, ``-a``, ``-o``."""
    shell = call.shell
    command = call.argv[0]
    args = call.argv[1:]
    if command == "[":
        if not args or args[-1] != "]":
            call.err(shell.flavour.say("missing_bracket", shell.name, call.line, shell.interactive))
            return 2
        args = args[:-1]
    try:
        return 0 if _test_or(call, args) else 1
    except _TestError as error:
        call.err(shell.flavour.say(error.situation, shell.name, call.line, shell.interactive, command=command,
                                   value=error.value))
        return 2


class _TestError(Exception):
    def __init__(self, situation: str, value: str = "") -> None:
        self.situation, self.value = situation, value


def _test_or(call: "Call", args: list[str]) -> bool:
    if "-o" in args[1:-1]:
        index = args.index("-o", 1)
        return _test_or(call, args[:index]) or _test_or(call, args[index + 1:])
    if "-a" in args[1:-1]:
        index = args.index("-a", 1)
        return _test_or(call, args[:index]) and _test_or(call, args[index + 1:])
    return _test_simple(call, args)


_UNARY = {"-e", "-f", "-d", "-s", "-r", "-w", "-x", "-z", "-n", "-L", "-h", "-b", "-c", "-p", "-S", "-t"}
_NUMERIC = {"-eq": int.__eq__, "-ne": int.__ne__, "-lt": int.__lt__, "-gt": int.__gt__, "-le": int.__le__,
            "-ge": int.__ge__}


def _integer(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise _TestError("integer_expected", value) from None


def _test_simple(call: "Call", args: list[str]) -> bool:
    if not args:
        return False
    if args[0] == "!" and len(args) > 1:
        return not _test_simple(call, args[1:])
    if len(args) == 1:
        return args[0] != ""
    if len(args) == 2:
        op, operand = args
        if op not in _UNARY:
            raise _TestError("unary_expected", op)
        machine = call.shell.machine
        path = call.path(operand) if operand else ""
        checks = {
            "-e": lambda: bool(operand) and machine.exists(path),
            "-f": lambda: bool(operand) and (path in machine.files or path in machine.programs),
            "-d": lambda: bool(operand) and machine.is_dir(path),
            "-s": lambda: bool(machine.files.get(path)),
            "-r": lambda: bool(operand) and machine.exists(path),
            "-w": lambda: bool(operand) and machine.exists(path),
            "-x": lambda: path in machine.programs or machine.is_dir(path),
            "-z": lambda: operand == "",
            "-n": lambda: operand != "",
        }
        return checks.get(op, lambda: False)()
    if len(args) == 3:
        left, op, right = args
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        if op in _NUMERIC:
            return _NUMERIC[op](_integer(left), _integer(right))
        if op in ("<", ">"):
            return left < right if op == "<" else left > right
        if left == "!":
            return not _test_simple(call, args[1:])
        if left == "(" and right == ")":
            return _test_simple(call, [op])
        raise _TestError("test_argument", op)
    if args[0] == "(" and args[-1] == ")":
        return _test_or(call, args[1:-1])
    raise _TestError("test_argument", args[0])


#: Every utility by the name it is installed under.
UTILITIES = {
    "echo": echo, "printf": printf, "cat": cat, "tee": tee, "head": head, "tail": tail, "grep": grep, "egrep": grep,
    "wc": wc, "sort": sort, "uniq": uniq, "cut": cut, "tr": tr, "base64": base64, "seq": seq, "xargs": xargs,
    "ls": ls, "mkdir": mkdir, "touch": touch, "rm": rm, "cp": cp, "mv": mv, "basename": basename,
    "dirname": dirname, "pwd": pwd, "true": true, "false": false, "env": env, "printenv": printenv,
    "hostname": hostname, "uname": uname, "date": date, "whoami": whoami, "id": id_, "which": which, "sleep": sleep,
    "clear": clear, "test": test, "[": test,
}
