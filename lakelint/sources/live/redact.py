"""Credentials never leave through what lakelint prints.

An endpoint may carry credentials in its URL (``AWS_ENDPOINT_URL=http://user:password@proxy:8080``), and
botocore repeats that URL in its errors ("Could not connect to the endpoint URL: ..."). Every text
the live source hands out (notes, error entries, fault details) goes through ``redact``, which keeps
the user name's place but not its value: ``http://***@proxy:8080/``.
"""

from __future__ import annotations

import re

# scheme://userinfo@ — userinfo is everything up to the last "@" before the host, without "/" or space
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s?#]*@")


def redact(text):
    """``text`` with the userinfo of every URL in it replaced by ``***``; non-text is returned as is."""
    if not isinstance(text, str) or "@" not in text:
        return text
    return _USERINFO.sub(r"\1***@", text)
