"""Tools for working on lakelint itself, run from a source checkout: ``python -m lakelint.dev``.

    python -m lakelint.dev generate             rewrite every generated file that is out of date
    python -m lakelint.dev generate --check     exit 1 and name each stale file (what CI and the tests run)
    python -m lakelint.dev generate NAME ...    only these artifacts (checks-doc, readme-tables, ...)

Every file a person should not edit by hand (docs/checks.md, the README's generated tables, the IAM
policy snapshot, the corpus snapshots) has one generator module here, and one command keeps them all
current, so a change in what users see shows up as a diff in review. This package is not shipped in the
wheel: it writes into the checkout it sits in.
"""
