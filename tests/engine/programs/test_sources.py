"""What application sources print, read without running them: literal print()/console.log() arguments, found in one
linear pass, and constant expressions refused before they grow."""

from __future__ import annotations

import time

from sandbox.engine.programs.sources import MAX_CONSTANT_TEXT, evaluate, log_calls

PRINT = r"(?<![\w.])print\("


def test_literal_print_calls_are_found_in_order_with_their_stream() -> None:
    source = "print('a')\nimport sys\nprint('b', 2, file=sys.stderr)\nprint(f(x))\nprint('c' * 3)\n"
    assert log_calls(source, PRINT, "py") == [("stdout", "a"), ("stderr", "b 2"), ("stdout", "ccc")]


def test_a_comment_or_a_string_with_a_paren_does_not_confuse_the_matching() -> None:
    source = "# don't (print\nprint(')')\nprint('x')\n"
    assert log_calls(source, PRINT, "py") == [("stdout", ")"), ("stdout", "x")]


def test_thousands_of_unclosed_calls_cost_one_pass() -> None:
    source = "print(" * 20_000
    start = time.perf_counter()
    assert log_calls(source, PRINT, "py") == []
    assert time.perf_counter() - start < 1.0


def test_a_format_width_past_the_cap_is_refused_before_it_is_built() -> None:
    assert evaluate("'%01999999999d' % 1", "py") is None
    assert evaluate("'%09999999999d' % 1", "py") is None
    assert evaluate(f"'%0{MAX_CONSTANT_TEXT}d' % 1", "py") is not None
    assert evaluate("'%5d|%-3s|' % 1", "py") is None  # a tuple of arguments is not a constant here
    assert evaluate("'%5d' % 42", "py") == "   42"
