"""The escapers behind text/template's ``html``, ``js`` and ``urlquery``: Go's ``template.HTMLEscapeString``,
``template.JSEscapeString`` (src/text/template/funcs.go) and ``url.QueryEscape`` (src/net/url/url.go), byte for byte.

Strings are Go strings as the template holds them: a byte that is not UTF-8 is a surrogate escape.
"""

from __future__ import annotations

from sandbox.cli.golang import is_print, to_bytes

__all__ = ["html_escape", "js_escape", "query_escape"]

#: HTMLEscape's table: the five characters HTML gives meaning, and NUL (which it replaces).
_HTML = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"}
#: JSEscape's table for the ASCII characters it does not write as ``\u00XX``.
_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}
#: What url.QueryEscape leaves alone (shouldEscape's unreserved characters).
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def html_escape(text: str) -> str:
    """template.HTMLEscapeString."""
    return "".join(_HTML.get(char, char) for char in text)


def js_escape(text: str) -> str:
    """template.JSEscapeString: quotes, backslash, ``<>&=`` and control characters escaped; a character beyond
    ASCII kept when it prints, else ``\\uXXXX``; a byte that is not UTF-8 kept as it is."""
    out = []
    for char in text:
        if char in _JS:
            out.append(_JS[char])
        elif char < " ":
            out.append(f"\\u00{ord(char):02X}")
        elif char < "\x80" or "\udc80" <= char <= "\udcff" or is_print(char):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04X}")
    return "".join(out)


def query_escape(text: str) -> str:
    """url.QueryEscape: unreserved bytes kept, a space as ``+``, every other byte as ``%XX``."""
    out = []
    for byte in to_bytes(text):
        if byte in _UNRESERVED:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)
