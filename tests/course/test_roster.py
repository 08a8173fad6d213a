"""Roster import: a CSV with a header, as an LMS or a spreadsheet writes it; every refusal names line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.course.errors import RosterError
from sandbox.course.roster import RosterEntry, parse_roster, read_roster


def _error(data: bytes | str) -> str:
    with pytest.raises(RosterError) as e:
        parse_roster(data, "roster.csv")
    return str(e.value)


def test_a_roster_reads_ids_names_sections_and_lms_ids_in_file_order() -> None:
    got = parse_roster("id,name,section,lms_id\nada,\"Lovelace, Ada\",A,S001\ngrace,Grace Hopper,B,S002\n")
    assert got == (RosterEntry("ada", "Lovelace, Ada", "A", "S001", "", 2),
                   RosterEntry("grace", "Grace Hopper", "B", "S002", "", 3))


def test_only_the_id_column_is_required_and_columns_come_in_any_order_and_case() -> None:
    got = parse_roster("Section,Learner ID,Email\nA,ada,ada@uni.edu\n")
    assert got == (RosterEntry("ada", section="A", email="ada@uni.edu", line=2),)
    assert parse_roster("LMS-ID,ID\nS1,ada\n") == (RosterEntry("ada", lms_id="S1", line=2),)


def test_what_excel_writes_is_accepted_bom_windows_line_endings_semicolons_blank_rows() -> None:
    data = "\ufeffid;name;section\r\nada;Ada;A\r\n;;\r\ngrace;Grace;B\r\n;;\r\n".encode()
    assert [(e.id, e.name, e.line) for e in parse_roster(data)] == [("ada", "Ada", 2), ("grace", "Grace", 4)]


def test_a_missing_id_column_is_refused() -> None:
    assert _error("name,section\nAda,A\n") == ("roster.csv:1: column 'id': missing; the header must name the learner "
                                               "id column 'id'")


def test_an_unknown_column_gets_did_you_mean() -> None:
    assert _error("id,sectoin\nada,A\n") == ("roster.csv:1: column 'sectoin': unknown column (did you mean "
                                             "'section'?); expected id, name, section, lms_id, email")


def test_an_id_that_breaks_the_one_rule_is_refused_with_its_line() -> None:
    assert _error("id,name\nada,Ada\n=cmd|' /C calc'!A0,Mallory\n") == (
        "roster.csv:3: column 'id': \"=cmd|' /C calc'!A0\" is not a learner id: use letters, digits and . _ @ + - (at "
        "most 128, starting with a letter or digit, not ending with '.'; no '/', '..', spaces or control characters)")
    assert _error("id,name\n,Nobody\n") == "roster.csv:2: column 'id': missing; every row needs the learner id"


def test_duplicate_ids_are_refused_also_in_another_case() -> None:
    assert _error("id\nada\ngrace\nada\n") == "roster.csv:4: column 'id': 'ada' is already on line 2"
    assert _error("id\nada\nAda\n") == ("roster.csv:3: column 'id': 'Ada' is already on line 2 (as 'ada'; the hub "
                                        "lowercases user names, so both would be one person)")


def test_text_that_is_not_utf8_is_refused_with_how_to_save_it() -> None:
    assert _error("id,name\nada,Ad\xe9\n".encode("cp1252")) == (
        "roster.csv:2: not UTF-8 text (byte 0xe9); in Excel, save as 'CSV UTF-8 (Comma delimited)'")


def test_broken_csv_and_extra_fields_are_refused_with_their_line() -> None:
    assert _error('id,name\nada,"Ada\n') == "roster.csv:2: not valid CSV: unexpected end of data"
    assert _error("id,name\nada,Ada,extra\n") == "roster.csv:2: 3 fields, but the header names 2 columns"
    assert _error('id,name\nada,"Ada\nLovelace"\n') == "roster.csv:2: column 'name': a line break inside the value"
    assert _error("id,,name\nada,x,Ada\n") == ("roster.csv:2: a value in field 2, whose column the header leaves "
                                               "unnamed; name the column or empty it")
    assert parse_roster("id,name,\nada,Ada,\n")[0].name == "Ada"  # a spreadsheet's empty trailing column


def test_an_empty_file_asks_for_a_header() -> None:
    assert _error(b"") == ("roster.csv:1: the file is empty; expected a header row naming the columns, such as "
                           "id,name,section,lms_id")


def test_a_roster_file_is_read_from_disk(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_bytes(b"id\r\nada\r\n")
    assert read_roster(tmp_path / "r.csv") == (RosterEntry("ada", line=2),)
    with pytest.raises(RosterError, match="cannot read the file"):
        read_roster(tmp_path / "missing.csv")
