"""How bash, BusyBox ash and dash differ, held as data: their error texts, prompts and a few built-ins.

Each message is a template; ``{where}`` is the shell's prefix for a diagnostic, which is where the shells differ
most: bash says ``bash: line 3: `` when it runs a script or ``-c`` text and only ``bash: `` at an interactive prompt;
dash always counts lines (``sh: 3: ``); ash never does (``sh: ``) except in a few built-ins.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, eq=False)
class Flavour:
    """One shell's words. ``messages`` maps a situation to its template."""

    name: str
    where: str
    where_interactive: str
    messages: dict[str, str] = field(default_factory=dict)
    #: Built-ins this shell has beyond the common set.
    extra_builtins: frozenset[str] = frozenset()
    #: ``echo`` interprets backslash escapes without ``-e`` (dash, POSIX XSI).
    echo_escapes: bool = False
    #: Options ``echo`` accepts.
    echo_flags: str = "neE"
    #: ``**`` (power) in ``$((...))``: bash and BusyBox ash have it, dash does not.
    arith_power: bool = True
    #: ``a{b,c}`` and ``{1..3}`` expand to several words: bash only.
    brace_expansion: bool = False
    #: A redirection whose target is missing at the end of input (``echo a <``) is "unexpected token `newline'" in
    #: bash, whose lexer ends every line with a newline token; dash and ash report the end of file.
    redirect_eof_is_newline: bool = False

    def prefix(self, shell: str, line: int, interactive: bool) -> str:
        """The start of a diagnostic for the shell ``shell`` on ``line``."""
        template = self.where_interactive if interactive else self.where
        return template.format(shell=shell, line=line)

    def say(self, situation: str, shell: str, line: int, interactive: bool, **facts: object) -> str:
        """The full diagnostic line (with newline) for ``situation``."""
        where = self.prefix(shell, line, interactive)
        return self.messages[situation].format(where=where, shell=shell, line=line, **facts) + "\n"


BASH = Flavour(
    name="bash",
    where="{shell}: line {line}: ",
    where_interactive="{shell}: ",
    messages={
        "not_found": "{where}{command}: command not found",
        "no_such_file": "{where}{command}: No such file or directory",
        "not_executable": "{where}{command}: Permission denied",
        "syntax_token": "{where}syntax error near unexpected token `{token}'",
        "syntax_eof": "{where}syntax error: unexpected end of file",
        "syntax_quote": "{where}unexpected EOF while looking for matching `{quote}'",
        "bad_substitution": "{where}{text}: bad substitution",
        "open_input": "{where}{file}: No such file or directory",
        "is_a_directory": "{where}{file}: Is a directory",
        "create_missing_dir": "{where}{file}: No such file or directory",
        "create_denied": "{where}{file}: Permission denied",
        "bad_fd": "{where}{fd}: Bad file descriptor",
        "parameter_unset": "parameter not set",
        "parameter_unset_or_null": "parameter null or not set",
        "cd_missing": "{where}cd: {directory}: No such file or directory",
        "cd_not_dir": "{where}cd: {directory}: Not a directory",
        "cd_home": "{where}cd: HOME not set",
        "out_of_memory": "{shell}: xmalloc: cannot allocate memory",
        "write_error": "{shell}: write error: No space left on device",
        "exit_numeric": "{where}exit: {value}: numeric argument required",
        "integer_expected": "{where}{command}: {value}: integer expression expected",
        "test_argument": "{where}{command}: too many arguments",
        "unary_expected": "{where}{command}: {value}: unary operator expected",
        "missing_bracket": "{where}[: missing `]'",
        "arith": "{where}{expression}: syntax error: invalid arithmetic operator (error token is \"{expression}\")",
        "division_by_zero": "{where}{expression}: division by 0 (error token is \"{token}\")",
        "not_valid_identifier": "{where}{command}: `{value}': not a valid identifier",
        "shift_count": "",
        "no_loop": "{where}{command}: only meaningful in a `for', `while', or `until' loop",
        "return_outside": "{where}return: can only `return' from a function or sourced script",
        "source_missing": "{where}{file}: No such file or directory",
        "printf_usage": "printf: usage: printf [-v var] format [arguments]",
        "printf_invalid": "{where}printf: {value}: invalid number",
        "history_usage": "{where}history: {value}: numeric argument required",
        "read_usage": "{where}read: `{value}': not a valid identifier",
        "too_deep": "{where}maximum function nesting level exceeded ({depth})",
        "parameter_null": "{where}{name}: {message}",
    },
    extra_builtins=frozenset({"history", "source", "local", "type"}),
    brace_expansion=True,
    redirect_eof_is_newline=True,
)

DASH = Flavour(
    name="dash",
    where="{shell}: {line}: ",
    where_interactive="{shell}: {line}: ",
    messages={
        "not_found": "{where}{command}: not found",
        "no_such_file": "{where}{command}: not found",
        "not_executable": "{where}{command}: Permission denied",
        "syntax_token": "{where}Syntax error: {token_dash} unexpected{expecting_dash}",
        "syntax_eof": "{where}Syntax error: end of file unexpected{expecting_dash}",
        "syntax_quote": "{where}Syntax error: Unterminated quoted string",
        "bad_substitution": "{where}Bad substitution",
        "open_input": "{where}cannot open {file}: No such file",
        "is_a_directory": "{where}cannot create {file}: Is a directory",
        "create_missing_dir": "{where}cannot create {file}: Directory nonexistent",
        "create_denied": "{where}cannot create {file}: Permission denied",
        "bad_fd": "{where}{fd}: Bad file descriptor",
        "parameter_unset": "parameter not set",
        "parameter_unset_or_null": "parameter not set or null",
        "cd_missing": "{where}cd: can't cd to {directory}",
        "cd_not_dir": "{where}cd: can't cd to {directory}",
        "cd_home": "{where}cd: HOME not set",
        "out_of_memory": "{shell}: Out of space",
        "write_error": "{where}echo: I/O error",
        "exit_numeric": "{where}exit: Illegal number: {value}",
        "integer_expected": "{where}{command}: Illegal number: {value}",
        "test_argument": "{where}{command}: unexpected operator",
        "unary_expected": "{where}{command}: {value}: unexpected operator",
        "missing_bracket": "{where}[: missing ]",
        "arith": "{where}arithmetic expression: expecting primary: \"{expression}\"",
        "division_by_zero": "{where}arithmetic expression: division by zero: \"{expression}\"",
        "not_valid_identifier": "{where}{command}: bad variable name",
        "shift_count": "{where}shift: can't shift that many",
        "no_loop": "",
        "return_outside": "",
        "source_missing": "{where}.: cannot open {file}: No such file",
        "printf_usage": "{where}printf: usage: printf format [arg ...]",
        "printf_invalid": "{where}printf: {value}: expected numeric value",
        "history_usage": "",
        "read_usage": "{where}read: {value}: bad variable name",
        "too_deep": "{where}Out of space",
        "parameter_null": "{where}{name}: {message}",
    },
    echo_escapes=True,
    echo_flags="n",
    arith_power=False,
)

ASH = Flavour(
    name="ash",
    where="{shell}: ",
    where_interactive="{shell}: ",
    messages={
        "not_found": "{where}{command}: not found",
        "no_such_file": "{where}{command}: not found",
        "not_executable": "{where}{command}: Permission denied",
        "syntax_token": "{where}syntax error: unexpected {token_ash}{expecting_ash}",
        "syntax_eof": "{where}syntax error: unexpected end of file{expecting_ash}",
        "syntax_quote": "{where}syntax error: unterminated quoted string",
        "bad_substitution": "{where}syntax error: bad substitution",
        "open_input": "{where}can't open '{file}': No such file or directory",
        "is_a_directory": "{where}can't create {file}: Is a directory",
        "create_missing_dir": "{where}can't create {file}: nonexistent directory",
        "create_denied": "{where}can't create {file}: Permission denied",
        "bad_fd": "{where}{fd}: Bad file descriptor",
        "parameter_unset": "parameter not set",
        "parameter_unset_or_null": "parameter not set or null",
        "cd_missing": "{shell}: cd: line {line}: can't cd to {directory}: No such file or directory",
        "cd_not_dir": "{shell}: cd: line {line}: can't cd to {directory}: Not a directory",
        "cd_home": "{shell}: cd: line {line}: HOME not set",
        "out_of_memory": "{shell}: out of memory",
        "write_error": "{where}write error: No space left on device",
        "exit_numeric": "{shell}: exit: line {line}: Illegal number: {value}",
        "integer_expected": "{where}{command}: {value}: bad number",
        "test_argument": "{where}{command}: syntax error",
        "unary_expected": "{where}{command}: {value}: unknown operand",
        "missing_bracket": "{where}[: missing ]",
        "arith": "{where}arithmetic syntax error",
        "division_by_zero": "{where}divide by zero",
        "not_valid_identifier": "{shell}: {command}: line {line}: {value}: bad variable name",
        "shift_count": "{shell}: shift: line {line}: Illegal number: {value}",
        "no_loop": "",
        "return_outside": "",
        "source_missing": "{shell}: .: line {line}: can't open '{file}': No such file or directory",
        "printf_usage": "Usage: printf FORMAT [ARG]...",
        "printf_invalid": "printf: invalid number '{value}'",
        "history_usage": "",
        "read_usage": "{shell}: read: line {line}: '{value}': bad variable name",
        "too_deep": "{shell}: out of memory",
        "parameter_null": "{where}{name}: {message}",
    },
    extra_builtins=frozenset({"history", "source", "local", "type"}),
)

FLAVOURS = {"bash": BASH, "dash": DASH, "ash": ASH}


def prompt(flavour: Flavour, hostname: str, cwd: str, home: str, user: str = "root", uid: int = 0) -> str:
    """The primary prompt (PS1) an interactive shell shows: ash ``/ # ``, dash ``# ``, bash Debian's
    ``root@host:/# ``; ``$`` instead of ``#`` for a user other than root (``\\$`` in each shell's default PS1)."""
    sign = "#" if uid == 0 else "$"
    if flavour.name == "bash":
        shown = "~" + cwd[len(home):] if home and (cwd == home or cwd.startswith(home.rstrip("/") + "/")) else cwd
        return f"{user}@{hostname}:{shown}{sign} "
    if flavour.name == "dash":
        return f"{sign} "
    return f"{cwd} {sign} "
