"""Orchestration: a run from its inputs to its report. Each module drives a source and the engine
(templates, a live account) or post-processes a run's findings (baselines). This is the only layer
below the CLI that imports both a source and the engine."""
