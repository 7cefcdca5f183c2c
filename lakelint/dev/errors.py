"""The one error the developer tools raise: what they print, with exit code 2, instead of a traceback."""

from __future__ import annotations


class GenerateError(Exception):
    """A generator cannot render: the checkout is not one, or a file it fills in lacks its markers."""
