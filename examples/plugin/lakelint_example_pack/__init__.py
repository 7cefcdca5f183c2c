"""An example lakelint check pack: the house rules of one data platform team.

lakelint finds this package through the ``lakelint.checks`` entry point declared in pyproject.toml
and loads every module in it; each module is one check, written exactly like a built-in one (its
docstring is its documentation, one ``@check`` function holds its logic). The pack's codes use their
own prefix, XP, so they never collide with lakelint's LL codes or another pack's.
"""
