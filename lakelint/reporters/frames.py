"""``--show-source``: the offending template lines with a caret under the column, like ruff's code
frames::

       |
    11 |         BlockPublicAcls: true
    12 |         BlockPublicPolicy: false
       |                            ^
    13 |         IgnorePublicAcls: true
       |

One line of context on each side. A very long line (a minified JSON template) is cut to a window
around the column, so a frame is never a hundred kilobytes wide. Tabs before the column are kept in
the caret line, so the caret stays under the character whatever the terminal's tab width.
"""

from __future__ import annotations

WINDOW = 120  # characters of a long line shown around the column
CONTEXT = 1


def _window(text: str, column: int) -> tuple[str, int]:
    """``text`` cut to WINDOW characters around ``column`` (1-based); returns the text and the
    column within it."""
    if len(text) <= WINDOW + 40:
        return text, column
    start = max(0, min(column - 1 - WINDOW // 2, len(text) - WINDOW))
    cut = text[start:start + WINDOW]
    prefix = "..." if start else ""
    suffix = "..." if start + WINDOW < len(text) else ""
    return prefix + cut + suffix, column - start + len(prefix)


def code_frame(lines, line: int | None, column: int | None) -> list:
    """The frame for ``line``/``column`` of ``lines`` (the file's lines), as text lines; empty when
    the position is not in the file."""
    if not lines or not line or line < 1 or line > len(lines):
        return []
    first, last = max(1, line - CONTEXT), min(len(lines), line + CONTEXT)
    width = len(str(last))
    gutter = " " * width + " |"
    frame = [gutter]
    for number in range(first, last + 1):
        text = lines[number - 1].rstrip("\r\n")
        caret_column = None
        if number == line:
            text, caret_column = _window(text, column or 1)
        elif len(text) > WINDOW + 40:
            text = text[:WINDOW] + "..."
        frame.append(f"{number:>{width}} | {text}".rstrip())
        if caret_column is not None:
            lead = "".join("\t" if ch == "\t" else " " for ch in text[: max(0, caret_column - 1)])
            frame.append(f"{gutter} {lead}^")
    frame.append(gutter)
    return frame
