"""The engine core: the check API, the value vocabulary, the inventory model, the engine that turns
verdicts into findings, the registry of checks, configuration, suppressions and exit codes.

Sources, checks and reporters all depend on this package; it depends on none of them."""
