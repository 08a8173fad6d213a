"""Go's fmt as ``printf``, ``print`` and ``println`` in a --format template run it.

The tables are rows of src/fmt/fmt_test.go (Go 1.24) for the values a docker template holds: strings, ints,
float64s, bools, slices, maps and nil. Each row was also run through the docker 28.2.2 client as
``docker version --format '{{printf FORMAT VALUE}}'`` and printed the same text.
"""

import math

import pytest

from sandbox.cli.gofmt import GoByte, GoNil, GoSlice, OutputTooLong, go_float, go_type, sprint, sprintf, sprintln, value_text
from sandbox.errors import NotSimulated

# fmt_test.go: basic string, escaped strings, width, precision
STRINGS = [
    ("%s", "abc", "abc"), ("%q", "abc", '"abc"'), ("%x", "abc", "616263"), ("%x", "\udcff\udcf0\x0f\udcff", "fff00fff"),
    ("%X", "\udcff\udcf0\x0f\udcff", "FFF00FFF"), ("%x", "", ""), ("% x", "", ""), ("%#x", "", ""), ("%# x", "", ""),
    ("%x", "xyz", "78797a"), ("% X", "xyz", "78 79 7A"), ("%#x", "xyz", "0x78797a"), ("%# x", "xyz", "0x78 0x79 0x7a"),
    ("%# X", "xyz", "0X78 0X79 0X7A"), ("%q", "", '""'), ("%#q", "", "``"), ("%q", '"', '"\\""'), ("%#q", '"', '`"`'),
    ("%q", "`", '"`"'), ("%#q", "`", '"`"'), ("%q", "\n", '"\\n"'), ("%#q", "\n", '"\\n"'), ("%#q", "\\n", "`\\n`"),
    ("%q", "日本語", '"日本語"'), ("%+q", "日本語", '"\\u65e5\\u672c\\u8a9e"'), ("%#q", "日本語", "`日本語`"),
    ("%#+q", "日本語", "`日本語`"), ("%q", "\a\b\f\n\r\t\v\"\\", '"\\a\\b\\f\\n\\r\\t\\v\\"\\\\"'),
    ("% q", "☺", '"☺"'), ("%+q", "☺", '"\\u263a"'), ("%10q", "⌘", '       "⌘"'), ("%+10q", "⌘", '  "\\u2318"'),
    ("%-10q", "⌘", '"⌘"       '), ("%010q", "⌘", '0000000"⌘"'), ("%+010q", "⌘", '00"\\u2318"'),
    ("%-010q", "⌘", '"⌘"       '), ("%#8q", "\n", '    "\\n"'), ("%#-8q", "\t", "`\t`     "),
    ("%q", "abc\udcffdef", '"abc\\xffdef"'), ("%#q", "abc\udcffdef", '"abc\\xffdef"'),
    ("%q", "\U0010ffff", '"\\U0010ffff"'), ("%#q", "\U0010ffff", "`\U0010ffff`"),
    ("%5s", "abc", "  abc"), ("%2s", "☺", " ☺"), ("%-5s", "abc", "abc  "), ("%05s", "abc", "00abc"),
    ("%5s", "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"), ("%.5s", "abcdefghijklmnopqrstuvwxyz", "abcde"),
    ("%.0s", "日本語日本語", ""), ("%.5s", "日本語日本語", "日本語日本"), ("%.10s", "日本語日本語", "日本語日本語"),
    ("%08q", "abc", '000"abc"'), ("%-8q", "abc", '"abc"   '), ("%.5q", "abcdefghijklmnopqrstuvwxyz", '"abcde"'),
    ("%.5x", "abcdefghijklmnopqrstuvwxyz", "6162636465"), ("%.3q", "日本語日本語", '"日本語"'), ("%.1x", "日本語", "e6"),
    ("%10.1q", "日本語日本語", '       "日"'), ("%10v", None, "     <nil>"), ("%-10v", None, "<nil>     "),
]

# fmt_test.go: characters, escaped characters, integers, unicode format (a template's ints are Go's int)
INTEGERS = [
    ("%c", 0x78, "x"), ("%c", 0xE4, "ä"), ("%c", 0x672C, "本"), ("%.0c", 0x2318, "⌘"), ("%3c", 0x2318, "  ⌘"),
    ("%-3c", 0x2318, "⌘  "), ("%c", 0x0E00, "\u0e00"), ("%c", -1, "\ufffd"), ("%c", 0xDC80, "\ufffd"),
    ("%c", 0x110000, "\ufffd"), ("%c", 0xFFFFFFFFF, "\ufffd"), ("%q", 0, "'\\x00'"), ("%q", 0x22, "'\"'"),
    ("%q", 0x27, "'\\''"), ("%q", 0x60, "'`'"), ("%+q", 0xFF, "'\\u00ff'"), ("%q", 0x0A, "'\\n'"),
    ("%+q", 0x263A, "'\\u263a'"), ("% q", 0x263A, "'☺'"), ("%.0q", 0x263A, "'☺'"), ("%010q", 0x2318, "0000000'⌘'"),
    ("%-010q", 0x2318, "'⌘'       "), ("%q", 0x0E00, "'\\u0e00'"), ("%q", 0x10FFFF, "'\\U0010ffff'"),
    ("%q", -1, "'\ufffd'"), ("%q", 0x110000, "'\ufffd'"),
    ("%d", -12345, "-12345"), ("%.d", 0, ""), ("%.0d", 0, ""), ("%6.0d", 0, "      "), ("%06.0d", 0, "      "),
    ("% d", 12345, " 12345"), ("%+d", 12345, "+12345"), ("%+d", -12345, "-12345"), ("%b", 7, "111"),
    ("%b", -6, "-110"), ("%#b", 7, "0b111"), ("%#b", -6, "-0b110"), ("%o", 0o1234, "1234"), ("%o", -0o1234, "-1234"),
    ("%#o", 0o1234, "01234"), ("%#o", -0o1234, "-01234"), ("%O", 0o1234, "0o1234"), ("%O", -0o1234, "-0o1234"),
    ("%#X", 0, "0X0"), ("%x", 0x12ABCDEF, "12abcdef"), ("%X", 0x12ABCDEF, "12ABCDEF"), ("%.20b", 7, "00000000000000000111"),
    ("%10d", 12345, "     12345"), ("%10d", -12345, "    -12345"), ("%+10d", 12345, "    +12345"),
    ("%010d", 12345, "0000012345"), ("%010d", -12345, "-000012345"), ("%20.8d", 1234, "            00001234"),
    ("%20.8d", -1234, "           -00001234"), ("%020.8d", 1234, "            00001234"),
    ("%-20.8d", -1234, "-00001234           "), ("%-#20.8x", 0x1234ABC, "0x01234abc          "),
    ("%-#20.8o", 0o1234, "00001234            "), ("%068d", -1, "-" + "0" * 66 + "1"),
    ("%#.68x", 42, "0x" + "0" * 66 + "2a"), ("%+.68d", 42, "+" + "0" * 66 + "42"),
    ("%U", 0, "U+0000"), ("%U", -1, "U+FFFFFFFFFFFFFFFF"), ("%#U", 0x0A, "U+000A"), ("%+U", 0x78, "U+0078"),
    ("%# U", 0x78, "U+0078 'x'"), ("%#.2U", 0x78, "U+0078 'x'"), ("%#U", 0x263A, "U+263A '☺'"),
    ("%#U", 0x1D6C2, "U+1D6C2 '𝛂'"), ("%#14.6U", 0x2318, "  U+002318 '⌘'"), ("%#-14.6U", 0x2318, "U+002318 '⌘'  "),
    ("%#014.6U", 0x2318, "  U+002318 '⌘'"),
]

# fmt_test.go: floats, the sharp flag with floats, infinities and NaN, old test/fmt_test.go
FLOATS = [
    ("%+.3e", 0.0, "+0.000e+00"), ("%+.3e", 1.0, "+1.000e+00"), ("%+.3x", 0.0, "+0x0.000p+00"),
    ("%+.3x", 1.0, "+0x1.000p+00"), ("%+.3f", -1.0, "-1.000"), ("%+.3F", -1.0, "-1.000"), ("%+07.2f", 1.0, "+001.00"),
    ("%+07.2f", -1.0, "-001.00"), ("%-07.2f", 1.0, "1.00   "), ("%-07.2f", -1.0, "-1.00  "), ("%+-07.2f", 1.0, "+1.00  "),
    ("%+10.2f", 1.0, "     +1.00"), ("% .3E", -1.0, "-1.000E+00"), ("% .3e", 1.0, " 1.000e+00"),
    ("% .3X", -1.0, "-0X1.000P+00"), ("% .3x", 1.0, " 0x1.000p+00"), ("%+.3g", 0.0, "+0"), ("%+.3g", -1.0, "-1"),
    ("% .3g", 1.0, " 1"), ("%b", 1.0, "4503599627370496p-52"), ("%#g", 1e-323, "1.00000e-323"), ("%#g", -1.0, "-1.00000"),
    ("%#g", 1.1, "1.10000"), ("%#g", 123456.0, "123456."), ("%#g", 1234567.0, "1.234567e+06"),
    ("%#g", 1230000.0, "1.23000e+06"), ("%#.0f", 1.0, "1."), ("%#.0e", 1.0, "1.e+00"), ("%#.0x", 1.0, "0x1.p+00"),
    ("%#.0g", 1.0, "1."), ("%#.0g", 1100000.0, "1.e+06"), ("%#.4x", 1.0, "0x1.0000p+00"), ("%#.4g", 100000.0, "1.000e+05"),
    ("%#.4g", 0.1234, "0.1234"), ("%#.4g", 1.23, "1.230"), ("%#.4g", 0.123, "0.1230"), ("%#.4g", 10.2, "10.20"),
    ("%#.4g", 0.0, "0.000"), ("%#.4g", 0.012, "0.01200"), ("%#.0e", 123.0, "1.e+02"), ("%#.0x", 123.0, "0x1.p+07"),
    ("%#.4x", 123.0, "0x1.ec00p+06"), ("%#.4g", 123000.0, "1.230e+05"), ("%#9.4g", 1.0, "    1.000"),
    ("%#b", 1.0, "4503599627370496p-52"), ("%.4b", -1.0, "-4503599627370496p-52"), ("%.68f", -1.0, "-1." + "0" * 68),
    ("%f", math.inf, "+Inf"), ("%.1f", -math.inf, "-Inf"), ("% f", math.nan, " NaN"), ("%20f", math.inf, " " * 16 + "+Inf"),
    ("% 20F", math.inf, " " * 17 + "Inf"), ("% 20x", -math.inf, " " * 16 + "-Inf"), ("%20e", math.nan, " " * 17 + "NaN"),
    ("% +20E", math.nan, " " * 16 + "+NaN"), ("% -20g", math.nan, " NaN" + " " * 16), ("%+020e", math.inf, " " * 16 + "+Inf"),
    ("%-020f", -math.inf, "-Inf" + " " * 16), ("%e", 1.0, "1.000000e+00"), ("%e", 1234.5678e3, "1.234568e+06"),
    ("%e", 1234.5678e-8, "1.234568e-05"), ("%e", -1e-9, "-1.000000e-09"), ("%f", 1234.5678e3, "1234567.800000"),
    ("%f", 1234.5678e-8, "0.000012"), ("%f", -1e-9, "-0.000000"), ("%g", 1234.5678e3, "1.2345678e+06"),
    ("%g", 1234.5678e-8, "1.2345678e-05"), ("%G", -1e-9, "-1E-09"), ("%g", 100000.0, "100000"), ("%g", 1e6, "1e+06"),
    ("%v", 1e21, "1e+21"), ("%v", -0.0, "-0"), ("%x", 3.5, "0x1.cp+01"), ("%X", -0.1, "-0X1.999999999999AP-04"),
]


@pytest.mark.parametrize("form, value, text", STRINGS + INTEGERS + FLOATS)
def test_sprintf_formats_one_value_as_go_fmt_tests_say(form, value, text):
    assert sprintf(form, [value]) == text


# fmt_test.go: bools, nil, slices and maps, %v %+v %#v %T; the last rows as the docker client printed them
@pytest.mark.parametrize("form, values, text", [
    ("%t", [True], "true"), ("%5t", [False], "false"), ("%-7v", [True], "true   "), ("%06v", [True], "00true"),
    ("%v", [["a", 1, None]], "[a 1 <nil>]"), ("%d", [[1, 2]], "[1 2]"), ("%5s", [["a", "b"]], "[    a     b]"),
    ("%x", [GoSlice("[]string", ["ab", "c"])], "[6162 63]"), ("%q", [["a", "b"]], '["a" "b"]'),
    ("%v", [{"b": 2, "a": [1]}], "map[a:[1] b:2]"), ("%#v", [{"a": 1}], 'map[string]interface {}{"a":1}'),
    ("%#v", [GoSlice("[]string", ["a", "b"])], '[]string{"a", "b"}'), ("%#v", [[None, "x"]], '[]interface {}{interface {}(nil), "x"}'),
    ("%#v|%#v|%#v|%#v", [5, True, -2.5, 1.0], "5|true|-2.5|1"), ("%+v|%+d", [5, 5], "5|+5"),
    ("%T %T %T %T %T %T", [1, 1.5, "a", True, None, GoByte(97)], "int float64 string bool <nil> uint8"),
    ("%T|%T|%10T|", [["a"], {"a": 1}, GoSlice("[]string", [])], "[]interface {}|map[string]interface {}|  []string|"),
    ("%v %d %c", [GoByte(97)] * 3, "97 97 a"), ("%d", [[]], "[]"), ("%v", [GoSlice("[]string", [""])], "[]"),
])
def test_sprintf_formats_bools_nil_slices_and_maps(form, values, text):
    assert sprintf(form, values) == text


# fmt_test.go's "erroneous things" and reorder tables: Go writes its complaint into the output
@pytest.mark.parametrize("form, values, text", [
    ("%d", ["hello"], "%!d(string=hello)"), ("%5d", ["ab"], "%!d(string=   ab)"), ("%.2d", ["abc"], "%!d(string=ab)"),
    ("%d", [True], "%!d(bool=true)"), ("%s", [5], "%!s(int=5)"), ("%s", [None], "%!s(<nil>)"), ("%t", [1], "%!t(int=1)"),
    ("%e", [7], "%!e(int=7)"), ("%d", [1.5], "%!d(float64=1.5)"), ("%z", [1], "%!z(int=1)"), ("%!", [1], "%!!(int=1)"),
    ("%d", [["a", "b"]], "[%!d(string=a) %!d(string=b)]"), ("%d", [{"k": "v"}], "map[%!d(string=k):%!d(string=v)]"),
    ("%s %s", ["a"], "a %!s(MISSING)"), ("%", [], "%!(NOVERB)"), ("%-5%|%5.2%", [], "%|%"), ("%.", [], "%!.(MISSING)"),
    ("%d %d", [1, 2, "x", None], "1 2%!(EXTRA string=x, <nil>)"), ("hi", [1.5, [1]], "hi%!(EXTRA float64=1.5, []interface {}=[1])"),
    ("%*d", ["x", 1], "%!(BADWIDTH)1"), ("%*d", [10_000_000, 1], "%!(BADWIDTH)1"), ("%.*d", ["x", 5], "%!(BADPREC)5"),
    ("%.*d", [-1, 5], "%!(BADPREC)5"), ("%*d|%-*d|%.*f", [5, 1, 4, 2, 2, 3.14159], "    1|2   |3.14"), ("%-*d|", [-5, 1], "1    |"),
    ("%[2]d %[1]d", [1, 2], "2 1"), ("%[1]d %[1]x %[1]o", [64], "64 40 100"), ("%[3]d %d", [1, 2], "%!d(BADINDEX) 1"),
    ("%[0]d|%[x]d|%[1d|%[]d", [1], "%!d(BADINDEX)|%!d(BADINDEX)|%!d(BADINDEX)"),
    ("%[1]*[2]d|%[2]*[1]d", [5, 3], "    3|  5"), ("%[2]*d", [1, 2], "%!d(MISSING)"),
    ("%[2]*d|", [1, 2, 3], " 3|"), ("%0999999999d", [1], "%!(NOVERB)%!(EXTRA int=1)"),
    ("%\udcffd", [1], "%!\ufffd(int=1)d"),
])
def test_sprintf_writes_go_s_complaints_into_the_text(form, values, text):
    assert sprintf(form, values) == text


@pytest.mark.parametrize("values, printed, printed_line", [
    ([1, 2, "a", "b", 3, None, 4], "1 2ab3 <nil> 4", "1 2 a b 3 <nil> 4\n"),  # spaces only between non-strings
    ([], "", "\n"), (["a", 1.5, ["x"]], "a1.5 [x]", "a 1.5 [x]\n"), ([True, False], "true false", "true false\n"),
])
def test_sprint_and_sprintln(values, printed, printed_line):
    assert sprint(values) == printed
    assert sprintln(values) == printed_line


@pytest.mark.parametrize("form, values", [("%09999999d", [1]), ("%.999999f", [1.0]), ("%*s", [999_999, "x"]),
                                          ("%.9999999U", [1]), ("%0999999x", ["ab"]), ("%5s", [["a"] * 30_000])])
def test_sprintf_refuses_before_building_past_its_limit(form, values):
    with pytest.raises(OutputTooLong):
        sprintf(form, values, 100_000)


@pytest.mark.parametrize("value, text", [(1e6, "1e+06"), (100000.0, "100000"), (2.5, "2.5"), (1e-5, "1e-05"),
                                         (0.0001, "0.0001"), (-0.0, "-0"), (math.inf, "+Inf"), (math.nan, "NaN")])
def test_go_float_is_the_shortest_form(value, text):
    assert go_float(value) == text


def test_go_type_names_decoded_values_as_go_does():
    assert [go_type(v) for v in (None, True, 1, 1.5, "a", [], {}, GoByte(1), GoSlice("[]string"))] == [
        "<nil>", "bool", "int", "float64", "string", "[]interface {}", "map[string]interface {}", "uint8", "[]string"]


class _Struct(dict):
    """A Go struct as the data models it: its type and its fields in order."""

    def __init__(self, go_type, fields):
        super().__init__(fields)
        self.go_type = go_type

    def go_fields(self):
        return list(self.items())


# As the docker 28.2.2 client printed its own structs (system.clientVersion with a nil *platformInfo, types.Version)
@pytest.mark.parametrize("form, value, text", [
    ("%v", _Struct("system.clientVersion", {"Platform": GoNil("*system.platformInfo"), "Version": "28.2.2"}),
     "{<nil> 28.2.2}"),
    ("%+v", _Struct("system.clientVersion", {"Platform": GoNil("*system.platformInfo"), "Version": "28.2.2"}),
     "{Platform:<nil> Version:28.2.2}"),
    ("%s", _Struct("system.clientVersion", {"Platform": GoNil("*system.platformInfo"), "Version": "28.2.2"}),
     "{%!s(*system.platformInfo=<nil>) 28.2.2}"),
    ("%v", _Struct("*types.Version", {"Platform": _Struct("struct { Name string }", {"Name": "CE"}), "Experimental": False}),
     "&{{CE} false}"),
    ("%d", GoNil("*system.platformInfo"), "0"), ("%v|%d", GoNil(), "[]|%!d(MISSING)"),
])
def test_sprintf_prints_go_structs_and_nils(form, value, text):
    assert sprintf(form, [value]) == text


def test_a_template_action_follows_a_pointer_first():
    server = _Struct("*types.Version", {"Version": "28.2.2"})
    assert (value_text(server), sprint([server])) == ("{28.2.2}", "&{28.2.2}")


def test_a_pointer_inside_a_struct_would_be_an_address():
    client = _Struct("system.clientVersion", {"Platform": _Struct("*system.platformInfo", {"Name": "CE"})})
    with pytest.raises(NotSimulated):
        sprint([client])
