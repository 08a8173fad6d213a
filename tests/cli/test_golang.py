"""Go's parsers as the client's messages show them (``sandbox/cli/golang.py``); each text below is what the real
docker 28.2.2 client printed after ``invalid argument "..." for "..." flag: ``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.cli.golang import (GoError, go_quote, go_quote_byte, go_unquote, parse_bool, parse_duration, parse_int,
                                read_csv)


def test_go_quote_escapes_as_percent_q() -> None:
    assert go_quote('a\tb"c\\') == r'"a\tb\"c\\"'
    assert go_quote("é\x00\x7f") == r'"é\x00\x7f"'
    assert go_quote("\udcff") == r'"\xff"'  # a byte that was not UTF-8
    assert go_quote_byte(ord("z")) == "'z'"


@pytest.mark.parametrize(
    ("text", "signed", "bits", "value"),
    [("10", True, 64, 10), ("0x_1f", True, 64, 31), ("010", True, 64, 8), ("0b101", False, 16, 5),
     ("1_000", True, 32, 1000), ("-5", True, 64, -5), ("65535", False, 16, 65535)],
)  # fmt: skip
def test_parse_int_takes_gos_base_prefixes(text: str, signed: bool, bits: int, value: int) -> None:
    assert parse_int(text, signed, bits) == value


@pytest.mark.parametrize(
    ("text", "signed", "bits", "message"),
    [("x", True, 64, 'strconv.ParseInt: parsing "x": invalid syntax'),
     ("08", True, 64, 'strconv.ParseInt: parsing "08": invalid syntax'),
     ("-1", False, 64, 'strconv.ParseUint: parsing "-1": invalid syntax'),
     ("99999999999999999999", True, 64, 'strconv.ParseInt: parsing "99999999999999999999": value out of range'),
     ("65536", False, 16, 'strconv.ParseUint: parsing "65536": value out of range')],
)  # fmt: skip
def test_parse_int_refuses_in_strconvs_words(text: str, signed: bool, bits: int, message: str) -> None:
    with pytest.raises(GoError, match=f"^{message}$"):
        parse_int(text, signed, bits)


def test_parse_bool_knows_twelve_spellings() -> None:
    assert [parse_bool(word) for word in ("1", "t", "TRUE", "True", "0", "F", "false")] == [True] * 4 + [False] * 3
    with pytest.raises(GoError, match='^strconv.ParseBool: parsing "yes": invalid syntax$'):
        parse_bool("yes")


def test_parse_duration_sums_units_and_names_what_is_wrong() -> None:
    assert parse_duration("1h30m") == timedelta(hours=1, minutes=30)
    assert parse_duration("1.5s") == timedelta(seconds=1.5)
    assert parse_duration("-0") == timedelta(0)
    with pytest.raises(GoError, match='^time: unknown unit "x" in duration "1x"$'):
        parse_duration("1x")
    with pytest.raises(GoError, match='^time: missing unit in duration "1"$'):
        parse_duration("1")
    with pytest.raises(GoError, match='^time: invalid duration ""$'):
        parse_duration("")


def test_read_csv_reads_one_record_with_quoted_fields() -> None:
    assert read_csv('a,"b,c",') == ["a", "b,c", ""]
    assert read_csv('"say ""hi"""') == ['say "hi"']
    assert read_csv("") == []
    with pytest.raises(GoError, match='^parse error on line 1, column 2: bare " in non-quoted-field$'):
        read_csv('a"b')
    with pytest.raises(GoError, match='^parse error on line 1, column 4: extraneous or missing " in quoted-field$'):
        read_csv('"ab')


# strconv.Unquote (src/strconv/quote.go and its quote_test.go unquotetests / misquoted tables)
@pytest.mark.parametrize("literal, text", [
    ('""', ""), ('"a"', "a"), ('"abc"', "abc"), ('"☺"', "☺"), ('"hello world"', "hello world"),
    ('"\\xFF"', "\udcff"), ('"\\377"', "\udcff"), ('"\\u1234"', "\u1234"), ('"\\U00010111"', "\U00010111"),
    ('"\\a\\b\\f\\n\\r\\t\\v\\\\\\""', "\a\b\f\n\r\t\v\\\""), ('"\'"', "'"), ("'a'", "a"), ("'☹'", "☹"),
    ("'\\a'", "\a"), ("'\\x10'", "\x10"), ("'\\377'", "\udcff"), ("'\\''", "'"), ("'\"'", '"'),
    ("`abc`", "abc"), ("`\\n`", "\\n"), ("`a\rb`", "ab"),
])
def test_go_unquote_reads_go_literals(literal, text):
    assert go_unquote(literal) == text


@pytest.mark.parametrize("literal", ['"', '"a', "'a", "'ab'", "''", '"\\q"', '"\\z"', "'\\\"'", '"\\\'"', '"\\400"',
                                     '"\\x1"', '"\\uD800"', '"\\U00110000"', "`a`b`", '"a\nb"', "abc"])
def test_go_unquote_refuses_what_strconv_refuses(literal):
    with pytest.raises(GoError, match="invalid syntax"):
        go_unquote(literal)
