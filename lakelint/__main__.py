"""Allow `python -m lakelint`."""

from lakelint.cli import main

raise SystemExit(main())
