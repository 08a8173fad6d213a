"""text/template's ``html``, ``js`` and ``urlquery`` escapers, byte for byte as Go's (rows from Go's
text/template exec_test.go and net/url's url_test.go, and what the docker 28.2.2 client printed)."""

import pytest

from sandbox.cli.goescape import html_escape, js_escape, query_escape


@pytest.mark.parametrize("text, escaped", [
    ("<script>alert(\"XSS\");</script>", "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;"),
    ("a&b'c", "a&amp;b&#39;c"), ("\x00", "\ufffd"), ("é☺", "é☺"),
])
def test_html_escape(text, escaped):
    assert html_escape(text) == escaped


@pytest.mark.parametrize("text, escaped", [
    ("a'b", "a\\'b"), ('"a"', '\\"a\\"'), ("<>&=", "\\u003C\\u003E\\u0026\\u003D"), ("\\", "\\\\"),
    ("\x00\x1f\x7f", "\\u0000\\u001F\x7f"), ("é\u2028\U0001f600", "é\\u2028\U0001f600"), ("\udcff", "\udcff"),
])
def test_js_escape(text, escaped):
    assert js_escape(text) == escaped


@pytest.mark.parametrize("text, escaped", [
    ("", ""), ("abc", "abc"), ("one two", "one+two"), ("10%", "10%25"),
    (" ?&=#+%!<>#\"{}|\\^[]`☺\t:/@$'()*,;", "+%3F%26%3D%23%2B%25%21%3C%3E%23%22%7B%7D%7C%5C%5E%5B%5D%60%E2%98%BA%09%3A%2F%40%24%27%28%29%2A%2C%3B"),
    ("-_.~", "-_.~"), ("\x00 \udcff%", "%00+%FF%25"),
])
def test_query_escape(text, escaped):
    assert query_escape(text) == escaped
