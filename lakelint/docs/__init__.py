"""Documentation rendered from the checks' own metadata: ``--explain``, ``--list-checks``, the README's
tables and docs/checks.md."""
