"""File names written losslessly, whatever bytes they hold.

POSIX file names are bytes; Python holds a name that is not valid UTF-8 as text with "surrogate
escapes" (byte 0xFF becomes U+DCFF). Such text cannot be encoded as UTF-8, so every writer decides
what to do with those code points instead of crashing:

- plain text keeps the original bytes (the CLI writes with the ``surrogateescape`` handler, as ``ls``
  would show the name);
- JSON writes them as ``\\udcff`` escapes, which decode back to the same name in Python (``json.loads``
  then ``os.fsencode``);
- URIs (SARIF) percent-encode the original bytes (``caf%FF.yaml``), as RFC 3986 does for any byte;
- XML (JUnit) cannot hold them at all, so they become the text ``\\xff``: well-formed, readable, and
  still telling which byte it was.
"""

from __future__ import annotations

import re

_SURROGATE = "[\ud800-\udfff]"  # compiled by re when first used: only names with escaped bytes need it


def has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")  # fails on a surrogate, and on nothing else
    except UnicodeEncodeError:
        return True
    return False


def json_dumps(value, **kwargs) -> str:
    """``json.dumps(value, ensure_ascii=False)`` that stays valid UTF-8: lone surrogates (and only
    they, which can appear only inside strings) become ``\\uXXXX`` escapes."""
    import json  # here, not at the top: a text report (pre-commit's) never needs it

    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return re.sub(_SURROGATE, lambda m: f"\\u{ord(m.group()):04x}", text)


def uri_path(path: str, safe: str = "/") -> str:
    """``path`` percent-encoded for a URI, from its original bytes."""
    from urllib.parse import quote  # SARIF's only; urllib.parse costs a text run ~2 ms

    return quote(path.encode("utf-8", "surrogateescape"), safe=safe)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def readable(text: str) -> str:
    """``text`` with every escaped byte written as ``\\xNN`` (any other lone surrogate as ``\\uXXXX``):
    for formats that cannot carry it."""
    if not has_surrogates(text):
        return text
    return re.sub(_SURROGATE, lambda m: _escaped(m.group()), text)


def encode(text: str) -> bytes:
    """``text`` as UTF-8 for a file or standard output: an escaped byte becomes that byte again (what
    the name was on disk); a surrogate that stands for no byte, which only a hostile input can hold,
    is written as ``\\uXXXX`` rather than failing the write."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return "".join(ch if not "\ud800" <= ch <= "\udfff" or 0xDC80 <= ord(ch) <= 0xDCFF else _escaped(ch)
                       for ch in text).encode("utf-8", "surrogateescape")
