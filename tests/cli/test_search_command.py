"""The client's half of ``docker search`` (``sandbox/cli/commands/search.py``): filter flags, description
truncation and the search formatter, as docker/cli v28.2.2 has them."""

from __future__ import annotations

import pytest

from sandbox.cli.commands.search import ellipsis, write
from sandbox.cli.opts import client_filters
from sandbox.errors import UsageError
from sandbox.registry.registry import SearchResult

NGINX = SearchResult("nginx", "Official build of Nginx.", 20600, True)
MINE = SearchResult("learner/web", "", 0, False)


def test_filter_names_are_lowercased_and_both_sides_trimmed():
    assert client_filters(["IS-OFFICIAL = true", "stars=3", "stars=3", "stars=5"]) == {
        "is-official": ["true"], "stars": ["3", "5"],
    }


def test_an_empty_filter_flag_adds_nothing():
    assert client_filters([""]) == {}


@pytest.mark.parametrize(("text", "cut"), [
    ("Official build of Nginx.", "Official build of Nginx."),
    ("x" * 45, "x" * 45),
    ("x" * 46, "x" * 44 + "…"),
    ("Redis is the world’s fastest data platform for caching", "Redis is the world’s fastest data platform f…"),
    ("日本" * 30, "日本" * 11 + "…"),  # wide characters take two columns: 22 of them fill 44
])
def test_descriptions_are_cut_to_45_display_columns(text, cut):
    assert ellipsis(text, 45) == cut


def test_default_table_has_no_automated_column_and_pads_an_empty_official_cell():
    assert write("", [NGINX, MINE]) == (
        "NAME          DESCRIPTION                STARS     OFFICIAL\n"
        "nginx         Official build of Nginx.   20600     [OK]\n"
        "learner/web                              0         \n"
    )


def test_table_keyword_alone_is_the_default_table():
    assert write("table", [NGINX]) == write("", [NGINX])


def test_no_results_still_print_the_header():
    assert write("", []) == "NAME      DESCRIPTION   STARS     OFFICIAL\n"


def test_json_rows_sort_keys_keep_unicode_and_escape_html_as_go_does():
    row = SearchResult("a/b", "<tags> & “quotes”", 1, False)
    assert write("json", [row]) == (
        '{"Description":"\\u003ctags\\u003e \\u0026 “quotes”","IsOfficial":"false","Name":"a/b","StarCount":"1"}\n'
    )


def test_json_inside_a_template_keeps_the_trim_markers_meaning():
    assert write("{{.Name}} {{- json . -}} !", [MINE]) == (
        'learner/web{"Description":"","IsOfficial":"false","Name":"learner/web","StarCount":"0"}!\n'
    )


def test_newlines_in_a_description_become_spaces():
    assert write("{{.Description}}", [SearchResult("a/b", "one\ntwo\rthree", 0, False)]) == "one two three\n"


def test_table_header_ignores_json_and_upper():
    assert write("table {{json .Name}}\t{{upper .StarCount}}", [NGINX]) == 'NAME      STARS\n"nginx"   20600\n'


def test_a_field_a_row_lacks_fails_only_when_a_row_is_written():
    assert write("{{.Stars}}", []) == ""
    with pytest.raises(UsageError, match=r"^template parsing error: .*can't evaluate field Stars in type "
                                         r"\*registry\.searchContext$"):
        write("{{.Stars}}", [NGINX])


def test_an_unknown_function_fails_at_parse_time_even_without_rows():
    with pytest.raises(UsageError, match='^template parsing error: template: :1: function "bogus" not defined$'):
        write("{{bogus .Name}}", [])
