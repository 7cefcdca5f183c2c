"""The ``lakelint`` command line (DESIGN sections 4 and 11), one module per job:

- ``arguments``: the flags, one ``add_argument`` line each;
- ``inputs``: what a run reads (templates, stdin, the baseline, the configuration), so no output is
  written over it, and the template lines ``--show-source`` prints;
- ``outputs``: where the reports go (stdout, ``-o``, each ``--report FORMAT=FILE``), checked before
  linting and written without ever ending in a traceback;
- ``main``: the run, in the order that lets every refusal come before the lint.

``lakelint.cli:run`` is the console script's entry point (``main`` and the exit).
"""

from lakelint.cli.arguments import build_parser
from lakelint.cli.main import main, run

__all__ = ["build_parser", "main", "run"]
