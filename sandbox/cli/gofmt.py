"""Go's ``fmt`` package as a ``--format`` template reaches it: ``Sprint``, ``Sprintln`` and ``Sprintf`` (what the
template functions ``print``, ``println`` and ``printf`` are), and the ``%v`` text every action prints.

Values are decoded data standing for Go values: None is a nil interface, bool, int (Go's int), float (float64), str
(string: its characters are Go's runes, a byte that was not UTF-8 a surrogate escape), list (a slice), dict (a map,
printed in key order). A value whose Go type differs from that default names it in ``go_type`` (``[]string``,
``uint8``); a Go struct the data models prints itself through ``go_text`` and answers only ``%v``, ``%s`` and ``%T``.
``Sprintf`` follows src/fmt/print.go's ``doPrintf`` and format.go (Go 1.24), error texts (``%!d(string=abc)``,
``%!(EXTRA ...)``, ``%!s(MISSING)``, ``%!(BADWIDTH)``, ``%!(NOVERB)``) included.
"""

from __future__ import annotations

import math
import struct
from decimal import Decimal

from sandbox.cli.golang import go_quote, is_print, to_bytes
from sandbox.errors import NotSimulated

__all__ = ["GoByte", "GoMap", "GoNil", "GoSlice", "OutputTooLong", "go_float", "go_type", "sprint", "sprintf",
           "sprintln", "value_text"]


class GoSlice(list):
    """A slice whose Go type is not ``[]interface {}`` (``split`` makes a ``[]string``): ``%T`` and errors name it."""

    def __init__(self, go_type: str, items=()) -> None:
        super().__init__(items)
        self.go_type = go_type


class GoMap(dict):
    """A map whose Go type is not ``map[string]interface {}`` (``map[string]string``)."""

    def __init__(self, go_type: str, items=()) -> None:
        super().__init__(items)
        self.go_type = go_type


class GoByte(int):
    """An element of a string, which Go's ``index`` gives as a byte (uint8)."""

    go_type = "uint8"


class GoNil(list):
    """A nil slice (Go prints ``[]``, encoding/json ``null``) or, with a ``*`` ``go_type``, a nil pointer
    (``<nil>``); ``go_type`` None when the sandbox does not name the slice's type."""

    def __init__(self, go_type: str | None = None) -> None:
        super().__init__()
        self.go_type = go_type

    @property
    def pointer(self) -> bool:
        return bool(self.go_type) and self.go_type.startswith("*")

    def go_json(self) -> None:
        return None


class OutputTooLong(Exception):
    """A width, precision or result longer than the characters the caller may still print (Go would build it)."""


def go_type(value) -> str:
    """The Go type a decoded value stands for, as ``%T`` and Go's errors name it."""
    named = getattr(value, "go_type", None)
    if named:
        return named
    for python, name in ((bool, "bool"), (int, "int"), (float, "float64"), (str, "string"),
                         (dict, "map[string]interface {}"), (list, "[]interface {}")):
        if isinstance(value, python):
            return name
    return "<nil>"


def go_float(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 64), Go's ``%v`` of a float64: the shortest digits that read back, in
    exponent form when the exponent is below -4 or from 6 up (``1e+06``, ``2.5``, ``100000``)."""
    return _format_float(value, "g", -1)


def value_text(value, limit: int = 1 << 62) -> str:
    """What a template action prints for a value: text/template's printableValue follows a pointer first, then
    fmt's ``%v`` (so a pointer to a struct prints ``{...}``, where ``printf "%v"`` prints ``&{...}``)."""
    printer = _Printer(limit)
    printer.print_arg(value, "v", followed=True)
    return printer.text()


def sprint(values: list, limit: int = 1 << 62) -> str:
    """fmt.Sprint: each value's ``%v``, a space between two operands when neither is a string."""
    printer = _Printer(limit)
    previous_string = False
    for index, value in enumerate(values):
        is_string = isinstance(value, str)
        if index and not is_string and not previous_string:
            printer.write(" ")
        printer.print_arg(value, "v")
        previous_string = is_string
    return printer.text()


def sprintln(values: list, limit: int = 1 << 62) -> str:
    """fmt.Sprintln: each value's ``%v``, spaces between them, a newline after."""
    printer = _Printer(limit)
    for index, value in enumerate(values):
        if index:
            printer.write(" ")
        printer.print_arg(value, "v")
    printer.write("\n")
    return printer.text()


def sprintf(form: str, values: list, limit: int = 1 << 62) -> str:
    """fmt.Sprintf. Raises `OutputTooLong` before building a piece that would pass ``limit`` characters."""
    printer = _Printer(limit)
    printer.do_printf(form, values)
    return printer.text()


# A width or precision Go takes as written: fmt's tooLarge.
_TOO_LARGE = 1_000_000


def _too_large(number: int) -> bool:
    return number > _TOO_LARGE or number < -_TOO_LARGE


def _parse_number(form: str, start: int, end: int) -> tuple[int, bool, int]:
    """fmt's parsenum: (number, present, next index); a crazy long number is (0, False, end)."""
    number, present, at = 0, False, start
    while at < end and "0" <= form[at] <= "9":
        if _too_large(number):
            return 0, False, end
        number, present, at = number * 10 + int(form[at]), True, at + 1
    return number, present, at


class _Flags:
    """fmt's fmtFlags, width and precision for one verb."""

    def __init__(self) -> None:
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False
        self.width = self.precision = 0
        self.width_present = self.precision_present = False


class _Printer:
    """fmt's pp: one buffer, the flags of the verb being printed."""

    def __init__(self, limit: int) -> None:
        self.pieces: list[str] = []
        self.length = 0
        self.limit = limit
        self.flags = _Flags()

    def text(self) -> str:
        return "".join(self.pieces)

    def write(self, piece: str) -> None:
        self.length += len(piece)
        if self.length > self.limit:
            raise OutputTooLong
        self.pieces.append(piece)

    def _room(self, size: int) -> None:
        """Refuse before building ``size`` more characters than the limit allows."""
        if self.length + size > self.limit:
            raise OutputTooLong

    # format.go: padding -----------------------------------------------------------------------------------------

    def _padding(self, count: int) -> str:
        if count <= 0:
            return ""
        self._room(count)
        return ("0" if self.flags.zero and not self.flags.minus else " ") * count

    def pad(self, text: str) -> None:
        """fmt.pad/padString: ``text`` padded to the width, on the left unless ``-``; the width counts runes."""
        flags = self.flags
        if not flags.width_present or flags.width == 0:
            self.write(text)
            return
        padding = self._padding(flags.width - len(text))
        self.write(text + padding if flags.minus else padding + text)

    def _unpadded_zero(self, text: str) -> None:
        """Pad with spaces whatever the ``0`` flag says (numbers put their zeros in themselves)."""
        zero, self.flags.zero = self.flags.zero, False
        try:
            self.pad(text)
        finally:
            self.flags.zero = zero

    # format.go: integers ----------------------------------------------------------------------------------------

    def fmt_integer(self, number: int, base: int, verb: str, upper: bool = False) -> None:
        """fmt.fmtInteger: precision or the ``0`` flag give leading zeros, ``#`` a base prefix, then a sign."""
        flags = self.flags
        negative = number < 0
        magnitude = -number if negative else number
        precision = 0
        if flags.precision_present:
            precision = flags.precision
            if precision == 0 and magnitude == 0:  # "print nothing" but the padding
                zero, flags.zero = flags.zero, False
                self.write(self._padding(flags.width) if flags.width_present else "")
                flags.zero = zero
                return
        elif flags.zero and not flags.minus and flags.width_present:
            precision = flags.width - (1 if negative or flags.plus or flags.space else 0)
        self._room(max(precision, 0))
        digits = _to_base(magnitude, base)
        if upper:
            digits = digits.upper()
        if precision > len(digits):
            digits = "0" * (precision - len(digits)) + digits
        if flags.sharp:
            if base == 2:
                digits = "0b" + digits
            elif base == 8 and not digits.startswith("0"):
                digits = "0" + digits
            elif base == 16:
                digits = ("0X" if upper else "0x") + digits
        if verb == "O":
            digits = "0o" + digits
        sign = "-" if negative else "+" if flags.plus else " " if flags.space else ""
        self._unpadded_zero(sign + digits)

    def fmt_unicode(self, number: int) -> None:
        """fmt.fmtUnicode: ``U+0041``, with ``#`` also the character when it prints."""
        code = number & 0xFFFFFFFFFFFFFFFF
        precision = max(4, self.flags.precision if self.flags.precision_present else 4)
        self._room(precision)
        text = "U+" + format(code, "X").rjust(precision, "0")
        if self.flags.sharp and code <= 0x10FFFF and is_print(chr(code)):
            text += f" '{chr(code)}'"
        self._unpadded_zero(text)

    # format.go: strings -----------------------------------------------------------------------------------------

    def _truncate(self, text: str) -> str:
        return text[:self.flags.precision] if self.flags.precision_present else text

    def fmt_sx(self, text: str, upper: bool) -> None:
        """fmt.fmtSbx: the bytes in hexadecimal; ``#`` adds 0x, space separates the bytes."""
        flags = self.flags
        raw = to_bytes(text)
        if flags.precision_present:
            raw = raw[:flags.precision]
        if not raw:
            if flags.width_present:
                self.write(self._padding(flags.width))
            return
        prefix = ("0X" if upper else "0x") if flags.sharp else ""
        hexed = [format(byte, "02X" if upper else "02x") for byte in raw]
        if flags.space:
            body = " ".join(prefix + pair for pair in hexed)
        else:
            body = prefix + "".join(hexed)
        padding = self._padding(flags.width - len(body)) if flags.width_present else ""
        self.write(body + padding if flags.minus else padding + body)

    def fmt_q(self, text: str) -> None:
        """fmt.fmtQ: a Go string literal; ``#`` a raw one when it can be, ``+`` ASCII only."""
        text = self._truncate(text)
        if self.flags.sharp and _can_backquote(text):
            self.pad("`" + text + "`")
        else:
            self.pad(_quote(text, '"', self.flags.plus))

    # format.go: floats ------------------------------------------------------------------------------------------

    def fmt_float(self, value: float, verb: str, precision: int) -> None:
        """fmt.fmtFloat: strconv's digits, then the sign, ``#``'s decimal point and zeros, and the padding."""
        flags = self.flags
        if flags.precision_present:
            precision = flags.precision
        self._room(max(precision, 0))
        number = _format_float(value, verb, precision)
        number = number if number[0] in "+-" else "+" + number
        if flags.space and number[0] == "+" and not flags.plus:
            number = " " + number[1:]
        if number[1] in "IN":  # infinities and NaN are not padded with zeros
            if number[1] == "N" and not flags.space and not flags.plus:
                number = number[1:]
            self._unpadded_zero(number)
            return
        if flags.sharp and verb != "b":
            number = _sharp_float(number, verb, precision)
        if flags.plus or number[0] != "+":
            if flags.zero and not flags.minus and flags.width_present and flags.width > len(number):
                self.write(number[0] + self._padding(flags.width - len(number)) + number[1:])
                return
            self.pad(number)
            return
        self.pad(number[1:])

    # print.go ---------------------------------------------------------------------------------------------------

    def bad_verb(self, verb: str, value) -> None:
        """``%!verb(type=value)``, or ``%!verb(<nil>)``."""
        self.write("%!" + verb + "(")
        if value is not None:
            self.write(go_type(value) + "=")
            self.print_arg(value, "v")
        else:
            self.write("<nil>")
        self.write(")")

    def print_arg(self, value, verb: str, depth: int = 0, followed: bool = False) -> None:
        """printArg and printValue: ``value`` by its kind and the verb (``followed``: a pointer already followed)."""
        flags = self.flags
        if value is None:
            if depth:  # an interface element holding nil
                self.write(("interface {}(nil)" if flags.sharp_v else "<nil>"))
            elif verb in "Tv":
                self.pad("<nil>")
            else:
                self.bad_verb(verb, None)
            return
        if verb == "T" and not depth:
            if (hasattr(value, "go_text") or isinstance(value, GoNil)) and not getattr(value, "go_type", None):
                raise NotSimulated("printf's %T of that value in --format", "the sandbox does not model its Go type")
            self.pad(self._truncate(go_type(value)))
            return
        if verb == "p" and not depth:
            raise NotSimulated("the verb %p in a --format printf", "Go prints memory addresses")
        if hasattr(value, "go_fields"):
            self._print_struct(value, verb, depth, followed)
            return
        if isinstance(value, GoNil):
            self._print_nil(value, verb)
            return
        if hasattr(value, "go_text"):  # a Go value the data models that prints itself (or says it cannot)
            if verb not in "vs" or flags.sharp_v or flags.plus_v:
                raise NotSimulated(f"printf's %{verb} of a whole Go struct in --format", "print one field of it")
            self.pad(self._truncate(value.go_text()) if verb == "s" else value.go_text())
            return
        if isinstance(value, bool):
            if verb in "tv":
                self.pad("true" if value else "false")
            else:
                self.bad_verb(verb, value)
        elif isinstance(value, int):
            self._print_integer(value, verb)
        elif isinstance(value, float):
            self._print_float(value, verb)
        elif isinstance(value, str):
            self._print_string(value, verb)
        elif isinstance(value, dict):
            self._print_map(value, verb, depth)
        elif isinstance(value, list):
            self._print_list(value, verb, depth)
        else:
            raise NotSimulated(f"printf of a {type(value).__name__} in --format")

    def _print_struct(self, value, verb: str, depth: int, followed: bool) -> None:
        """A Go struct: ``{a b}``, ``{A:a B:b}`` with ``%+v``; a pointer to one ``&{...}`` at the top."""
        named = go_type(value)
        if named.startswith("*") and depth:
            raise NotSimulated("printing a struct that holds a pointer in --format", "Go prints its memory address; "
                               "print one field of it, or json")
        if self.flags.sharp_v:
            raise NotSimulated("printf's %#v of a whole Go struct in --format", "print one field of it, or json")
        fields = value.go_fields()
        self.write(("&{" if named.startswith("*") and not followed else "{"))
        for index, (name, item) in enumerate(fields):
            if index:
                self.write(" ")
            if self.flags.plus_v:
                self.write(name + ":")
            self.print_arg(item, verb, depth + 1)
        self.write("}")

    def _print_nil(self, value: GoNil, verb: str) -> None:
        """A nil slice prints as an empty one; a nil pointer as fmtPointer prints 0."""
        if not value.pointer:
            if self.flags.sharp_v:
                if not value.go_type:
                    raise NotSimulated("printf's %#v of a nil list in --format")
                self.write(value.go_type + "(nil)")
            else:
                self.write("[]")
        elif verb == "v":
            self.write(f"({value.go_type})(nil)") if self.flags.sharp_v else self.pad("<nil>")
        elif verb in "bodxX":
            self.fmt_integer(0, {"b": 2, "o": 8, "d": 10, "x": 16, "X": 16}[verb], verb, upper=verb == "X")
        elif verb == "p":
            raise NotSimulated("the verb %p in a --format printf", "Go prints memory addresses")
        else:
            self.write(f"%!{verb}({value.go_type}=")
            self.pad("<nil>")
            self.write(")")

    def _print_integer(self, value: int, verb: str) -> None:
        unsigned = getattr(value, "go_type", "int").startswith("uint")
        if verb == "v" and self.flags.sharp_v and unsigned:
            sharp, self.flags.sharp = self.flags.sharp, True
            self.fmt_integer(value, 16, "v")
            self.flags.sharp = sharp
        elif verb in "vd":
            self.fmt_integer(value, 10, verb)
        elif verb in "boOxX":
            self.fmt_integer(value, {"b": 2, "o": 8, "O": 8, "x": 16, "X": 16}[verb], verb, upper=verb == "X")
        elif verb in "cqU":
            code = value & 0xFFFFFFFFFFFFFFFF
            if verb == "U":
                self.fmt_unicode(value)
                return
            char = chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
            self.pad(char if verb == "c" else _quote(char, "'", self.flags.plus))
        else:
            self.bad_verb(verb, value)

    def _print_float(self, value: float, verb: str) -> None:
        if verb == "v":
            self.fmt_float(value, "g", -1)
        elif verb in "bgGxX":
            self.fmt_float(value, verb, -1)
        elif verb in "feEF":
            self.fmt_float(value, "f" if verb == "F" else verb, 6)
        else:
            self.bad_verb(verb, value)

    def _print_string(self, value: str, verb: str) -> None:
        if verb == "v" and self.flags.sharp_v or verb == "q":
            self.fmt_q(value)
        elif verb in "vs":
            self.pad(self._truncate(value))
        elif verb in "xX":
            self.fmt_sx(value, verb == "X")
        else:
            self.bad_verb(verb, value)

    def _print_map(self, value: dict, verb: str, depth: int) -> None:
        sharp_v = self.flags.sharp_v
        self.write(go_type(value) + "{" if sharp_v else "map[")
        for index, key in enumerate(sorted(value)):
            if index:
                self.write(", " if sharp_v else " ")
            self.print_arg(key, verb, depth + 1)
            self.write(":")
            self.print_arg(value[key], verb, depth + 1)
        self.write("}" if sharp_v else "]")

    def _print_list(self, value: list, verb: str, depth: int) -> None:
        sharp_v = self.flags.sharp_v
        self.write(go_type(value) + "{" if sharp_v else "[")
        for index, item in enumerate(value):
            if index:
                self.write(", " if sharp_v else " ")
            self.print_arg(item, verb, depth + 1)
        self.write("}" if sharp_v else "]")

    def _int_argument(self, values: list, number: int) -> tuple[int, bool, int]:
        """fmt's intFromArg: the argument for a ``*`` width or precision, if it is an int Go takes."""
        if number >= len(values):
            return 0, False, number
        value = values[number]
        if isinstance(value, int) and not isinstance(value, bool) and not _too_large(value):
            return value, True, number + 1
        return 0, False, number + 1

    def do_printf(self, form: str, values: list) -> None:
        """fmt's doPrintf."""
        end, number, after_index, reordered = len(form), 0, False, False
        i = 0

        def argument_number(number: int, i: int) -> tuple[int, int, bool, bool]:
            """fmt's argNumber: (argument, next index, found, good)."""
            nonlocal reordered
            if i >= end or form[i] != "[":
                return number, i, False, True
            reordered = True
            close = form.find("]", i + 1)
            if close < 0 or i + 3 > end:
                return number, i + 1, False, False
            index, present, stop = _parse_number(form, i + 1, close)
            if not present or stop != close:
                return number, close + 1, False, False
            if 0 <= index - 1 < len(values):
                return index - 1, close + 1, True, True
            return number, close + 1, True, False

        while i < end:
            good = True
            last = i
            i = form.find("%", i)
            i = end if i < 0 else i
            if i > last:
                self.write(form[last:i])
            if i >= end:
                break
            i += 1
            self.flags = flags = _Flags()
            while i < end and form[i] in "#0+- ":
                setattr(flags, {"#": "sharp", "0": "zero", "+": "plus", "-": "minus", " ": "space"}[form[i]], True)
                i += 1
            number, i, after_index, ok = argument_number(number, i)
            good = good and ok
            if i < end and form[i] == "*":
                i += 1
                flags.width, flags.width_present, number = self._int_argument(values, number)
                if not flags.width_present:
                    self.write("%!(BADWIDTH)")
                if flags.width < 0:
                    flags.width, flags.minus, flags.zero = -flags.width, True, False
                after_index = False
            else:
                flags.width, flags.width_present, i = _parse_number(form, i, end)
                if after_index and flags.width_present:  # "%[3]2d"
                    good = False
            if i + 1 < end and form[i] == ".":
                i += 1
                if after_index:  # "%[3].2d"
                    good = False
                number, i, after_index, ok = argument_number(number, i)
                good = good and ok
                if i < end and form[i] == "*":
                    i += 1
                    flags.precision, flags.precision_present, number = self._int_argument(values, number)
                    if flags.precision < 0:
                        flags.precision, flags.precision_present = 0, False
                    if not flags.precision_present:
                        self.write("%!(BADPREC)")
                    after_index = False
                else:
                    flags.precision, flags.precision_present, i = _parse_number(form, i, end)
                    if not flags.precision_present:
                        flags.precision, flags.precision_present = 0, True
            if not after_index:
                number, i, after_index, ok = argument_number(number, i)
                good = good and ok
            if i >= end:
                self.write("%!(NOVERB)")
                break
            verb = form[i] if not "\udc80" <= form[i] <= "\udcff" else "\ufffd"  # a byte that is not UTF-8
            i += 1
            if verb == "%":  # takes no operand and ignores the width and precision
                self.write("%")
            elif not good:
                self.write(f"%!{verb}(BADINDEX)")
            elif number >= len(values):
                self.write(f"%!{verb}(MISSING)")
            else:
                if verb == "v":
                    flags.sharp_v, flags.sharp = flags.sharp, False
                    flags.plus_v, flags.plus = flags.plus, False
                self.print_arg(values[number], verb)
                number += 1
        if not reordered and number < len(values):
            self.flags = _Flags()
            self.write("%!(EXTRA ")
            for index, value in enumerate(values[number:]):
                if index:
                    self.write(", ")
                if value is None:
                    self.write("<nil>")
                else:
                    self.write(go_type(value) + "=")
                    self.print_arg(value, "v")
            self.write(")")


def _to_base(number: int, base: int) -> str:
    return {2: format(number, "b"), 8: format(number, "o"), 10: str(number), 16: format(number, "x")}[base]


def _quote(text: str, quote: str, ascii_only: bool) -> str:
    """strconv.Quote, QuoteRune and (``ascii_only``) their ToASCII forms."""
    quoted = go_quote(text)[1:-1] if quote == '"' else go_quote(text).replace("\\\"", '"')[1:-1]
    if quote == "'":
        quoted = quoted.replace("'", "\\'")
    if ascii_only:
        quoted = "".join(char if char.isascii() else
                         (f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}") for char in quoted)
    return quote + quoted + quote


def _can_backquote(text: str) -> bool:
    """strconv.CanBackquote: one line, no backquote, no control character but tab, valid UTF-8, no BOM."""
    return not any(char == "`" or char == "\ufeff" or "\udc80" <= char <= "\udcff" or
                   (ord(char) < 0x20 and char != "\t") or char == "\x7f" for char in text)


def _format_float(value: float, verb: str, precision: int) -> str:
    """strconv.FormatFloat(value, verb, precision, 64): ``e E f g G`` (-1: the shortest digits), ``b``, ``x X``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    negative = math.copysign(1.0, value) < 0
    sign = "-" if negative else ""
    if verb in "bxX":
        bits = struct.unpack("<Q", struct.pack("<d", value))[0]
        exponent, mantissa = (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)
        if exponent == 0:
            exponent += 1
        else:
            mantissa |= 1 << 52
        exponent -= 1023
        if verb == "b":
            return f"{sign}{mantissa}p{exponent - 52:+d}"
        return sign + _hex_float(mantissa, exponent, precision, verb)
    if precision >= 0:
        return format(value, f".{precision}{verb}")
    if value == 0:  # only %g and %v ask for the shortest digits
        return sign + "0"
    digits = Decimal(repr(abs(value))).normalize()
    exponent = digits.adjusted()
    if -4 <= exponent < 6:  # strconv's %e threshold for the shortest form is 6
        return sign + format(digits, "f")
    figures = "".join(map(str, digits.as_tuple().digits))
    fraction = "." + figures[1:] if len(figures) > 1 else ""
    e = "E" if verb == "G" else "e"
    return f"{sign}{figures[0]}{fraction}{e}{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"


def _hex_float(mantissa: int, exponent: int, precision: int, verb: str) -> str:
    """strconv's fmtX: ``0x1.8p+01``, the mantissa rounded to ``precision`` hex digits (-1: as many as it has)."""
    mask = (1 << 64) - 1
    if mantissa == 0:
        exponent = 0
    mantissa <<= 60 - 52
    while mantissa and not mantissa & (1 << 60):
        mantissa, exponent = mantissa << 1, exponent - 1
    if 0 <= precision < 15:
        shift = precision * 4
        extra = (mantissa << shift) & ((1 << 60) - 1)
        mantissa >>= 60 - shift
        if extra | (mantissa & 1) > 1 << 59:
            mantissa += 1
        mantissa <<= 60 - shift
        if mantissa & (1 << 61):
            mantissa, exponent = mantissa >> 1, exponent + 1
    digits = "0123456789ABCDEF" if verb == "X" else "0123456789abcdef"
    out = "0" + verb + str((mantissa >> 60) & 1)
    mantissa = (mantissa << 4) & mask
    if precision < 0 and mantissa:
        out += "."
        while mantissa:
            out += digits[(mantissa >> 60) & 15]
            mantissa = (mantissa << 4) & mask
    elif precision > 0:
        out += "."
        for _ in range(precision):
            out += digits[(mantissa >> 60) & 15]
            mantissa = (mantissa << 4) & mask
    out += "P" if verb == "X" else "p"
    out += "-" if exponent < 0 else "+"
    return out + f"{abs(exponent):02d}"


def _sharp_float(number: str, verb: str, precision: int) -> str:
    """format.go's ``#`` for floats: always a decimal point, and %g's trailing zeros up to its precision."""
    digits = (6 if precision == -1 else precision) if verb in "vgGx" else 0
    tail = ""
    has_point = seen_nonzero = False
    body = number[0]
    for at in range(1, len(number)):
        char = number[at]
        if char == ".":
            has_point = True
        elif char in "pP" or char in "eE" and verb not in "xX":
            tail = number[at:]
            break
        else:
            if char != "0":
                seen_nonzero = True
            if seen_nonzero:
                digits -= 1
        body += char
    if not has_point:
        if len(body) == 2 and body[1] == "0":  # a leading 0 counts once
            digits -= 1
        body += "."
    return body + "0" * max(digits, 0) + tail

