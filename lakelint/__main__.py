"""Allow `python -m lakelint`."""

from lakelint.cli import run

run()
