"""LL8xx: drift between templates and the account (`lakelint --live --compare`).

One module per check; modules whose name starts with ``_`` hold helpers the checks of this area share."""
