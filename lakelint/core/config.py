"""Configuration: the settings of one run, from ``.lakelint.yaml``, ``[tool.lakelint]`` in
``pyproject.toml``, or ``--config FILE`` (found and read by core/config_files.py).

Every value is validated by its type (core/options.py holds one validator per type) with a message
naming the file and the key's line, because a value read wrongly switches a gate off in silence: a
string where a list belongs is one item (``exclude: "legacy/**"`` is one glob), ``cfn-lint: 'false'``
is an error, not "on". The keys here are the engine's own (DESIGN sections 6 and 11); a check's
options are declared on the check and applied by ``bind_options`` once the checks are loaded, so this
module holds no per-check keys, and a key that neither knows is an error naming the file.

Patterns (``exclude``, ``per-file-ignores``), ``checks-dir`` and the templates ``stacks`` names are relative to the folder of the
configuration file that declares them (``Config.base``), whatever the working folder; a file outside
that folder is matched by none of them.
"""

from __future__ import annotations

import os

from lakelint.core import options as types
from lakelint.core.config_files import ConfigError, ConfigFile, discover, read
from lakelint.core.exits import SEVERITY_ORDER
from lakelint.core.options import InvalidValue, OptionType, shown
from lakelint.core.records import Record
from lakelint.core.suppress import parse_account_ignores

__all__ = ["Config", "ConfigError", "CORE_KEYS", "bind_options", "build_config", "load_config", "relative_to"]


class Config(Record):
    """The settings of one run (see the module docstring). A plain class, not a dataclass: see
    lakelint/core/records.py. Every field is a keyword of ``__init__``, in this order."""

    __slots__ = _fields = (
        "select", "ignore", "fail_on", "exclude", "per_file_ignores", "severity", "max_file_size", "cfn_lint",
        "checks_dir", "options", "path", "unverifiable", "preview", "check_timeout", "live_regions", "stacks",
        "enabled", "max_accounts_in_flight", "account_workers", "api_concurrency", "per_account_ignores", "base",
        "lines", "options_bound")

    def __init__(self, select: list | None = None, ignore: list | None = None, fail_on: str = "low",
                 exclude: list | None = None, per_file_ignores: dict | None = None, severity: dict | None = None,
                 max_file_size: int = 10 * 1024 * 1024, cfn_lint: bool = False, checks_dir: list | None = None,
                 options: dict | None = None, path: str | None = None, unverifiable: str = "fail",
                 preview: bool = False, check_timeout: float = 10.0, live_regions: str | None = None,
                 stacks: dict | None = None, enabled: frozenset = frozenset(), max_accounts_in_flight: int = 8,
                 account_workers: int = 8, api_concurrency: int = 8, per_account_ignores: dict | None = None,
                 base: str | None = None, lines: dict | None = None, options_bound: bool = False):
        self.select = [] if select is None else select
        self.ignore = [] if ignore is None else ignore
        self.fail_on = fail_on
        self.exclude = [] if exclude is None else exclude
        self.per_file_ignores = {} if per_file_ignores is None else per_file_ignores
        self.severity = {} if severity is None else severity  # code or name -> severity override
        self.max_file_size = max_file_size
        self.cfn_lint = cfn_lint
        self.checks_dir = [] if checks_dir is None else checks_dir  # absolute when read from a file
        # values of the options the checks declare (core/options.py)
        self.options = {} if options is None else options
        self.path = path  # where it was read from, as messages show it
        # Added in the second round (DESIGN section 11); parsed and validated by build_config.
        self.unverifiable = unverifiable  # fail | warn | ignore: whether unverifiable findings gate the exit code
        self.preview = preview  # run preview checks too
        self.check_timeout = check_timeout  # seconds one check may spend on one resource (or file) before it is stopped
        self.live_regions = live_regions  # "all" | "active": where account-level defaults are reported (live)
        self.stacks = {} if stacks is None else stacks  # stack-name glob -> template path (--live --compare)
        # codes the command turns on whatever the selection and preview say (``--compare``: LL801-LL803)
        self.enabled = enabled
        # Multi-account live runs (--org, --accounts): the pools' bounds (KEY_DOCS says what each bounds),
        # and live exceptions by account or OU (core/suppress.py, AccountIgnore)
        self.max_accounts_in_flight = max_accounts_in_flight
        self.account_workers = account_workers
        self.api_concurrency = api_concurrency
        self.per_account_ignores = {} if per_account_ignores is None else per_account_ignores
        self.base = base  # the folder patterns are relative to (the config file's); None: the working folder
        self.lines = {} if lines is None else lines  # key -> line in the file, for messages
        self.options_bound = options_bound  # options validated against the loaded checks' declarations

    def option(self, key, default=None):
        return self.options.get(key, default)

    def where(self, key: str | None = None) -> str:
        """The file (and the key's line) for a message."""
        place = self.path or "configuration"
        line = self.lines.get(key) if key else None
        return f"{place}:{line}" if line else place

    def relative(self, shown_path: str | None) -> str | None:
        """``shown_path`` (as reports show it) relative to ``base``, for patterns; None when outside it."""
        return relative_to(self.base, shown_path)


def relative_to(base: str | None, shown_path: str | None) -> str | None:
    """A path as lakelint shows it (relative to the working folder, or absolute), made relative to
    ``base`` (None: the working folder) with ``/`` separators; None when it is not below ``base``."""
    if not shown_path:
        return None
    cwd = os.getcwd()
    absolute = os.path.normpath(os.path.join(cwd, shown_path))
    relative = os.path.relpath(absolute, base or cwd)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


# -- the engine's own keys, each with its type ------------------------------------------------------


def _codes(value):
    """Check codes, prefixes or names: a list, or one string of comma-separated ones."""
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return list(value)
    raise InvalidValue("a list of check codes, prefixes or names")


def _severity_map(value):
    if isinstance(value, dict) and all(isinstance(k, str) and str(v).lower() in ("high", "medium", "low")
                                       for k, v in value.items()):
        return {k: str(v).lower() for k, v in value.items()}
    raise InvalidValue("a mapping of check codes or names to high, medium or low")


def _per_file_ignores(value):
    if isinstance(value, dict) and all(isinstance(k, str) and k for k in value):
        try:
            return {k: _codes(v) for k, v in value.items()}
        except InvalidValue:
            pass
    raise InvalidValue("a mapping of globs to lists of check codes")


def _stack_templates(value):
    if isinstance(value, dict) and value and all(isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
                                                 for k, v in value.items()):
        return {k.strip(): v.strip() for k, v in value.items()}
    raise InvalidValue("a mapping of stack names (globs allowed) to template paths")


PER_ACCOUNT_IGNORES = OptionType("per-account ignores", "a mapping of account ids or OU paths to checks and a reason",
                                 parse_account_ignores)
CODES = OptionType("list of check codes", "a list of check codes, prefixes or names", _codes)
SEVERITY_MAP = OptionType("severity overrides", "a mapping of check codes or names to high, medium or low", _severity_map)
PER_FILE_IGNORES = OptionType("per-file ignores", "a mapping of globs to lists of check codes", _per_file_ignores)
STACK_TEMPLATES = OptionType("stack templates", "a mapping of stack names (globs allowed) to template paths",
                             _stack_templates)

# key -> (Config attribute, type)
CORE_KEYS = {
    "select": ("select", CODES),
    "ignore": ("ignore", CODES),
    "fail-on": ("fail_on", types.choice(*SEVERITY_ORDER)),
    "exclude": ("exclude", types.STRINGS),
    "per-file-ignores": ("per_file_ignores", PER_FILE_IGNORES),
    "severity": ("severity", SEVERITY_MAP),
    "max-file-size": ("max_file_size", types.POSITIVE_INT),
    "cfn-lint": ("cfn_lint", types.BOOLEAN),
    "checks-dir": ("checks_dir", types.STRINGS),
    "unverifiable": ("unverifiable", types.choice("fail", "warn", "ignore")),
    "preview": ("preview", types.BOOLEAN),
    "check-timeout": ("check_timeout", types.POSITIVE_NUMBER),
    "live-regions": ("live_regions", types.choice("all", "active")),
    "stacks": ("stacks", STACK_TEMPLATES),
    "max-accounts-in-flight": ("max_accounts_in_flight", types.POSITIVE_INT),
    "account-workers": ("account_workers", types.POSITIVE_INT),
    "api-concurrency": ("api_concurrency", types.POSITIVE_INT),
    "per-account-ignores": ("per_account_ignores", PER_ACCOUNT_IGNORES),
}

# What the keys added for multi-account live runs mean (README "Configuration", docs/guide.md).
KEY_DOCS = {
    "max-accounts-in-flight": "accounts a multi-account live run scans at once (--max-accounts-in-flight; default 8)",
    "account-workers": "threads reading one account of a multi-account run: regions, services, buckets (default 8)",
    "api-concurrency": "calls of one API operation in one account and region at a time (default 8)",
    "per-account-ignores": "live exceptions: account ids, OU ids or OU paths to {checks, reason, until}",
}


def build_config(data, where: str | None = None, lines: dict | None = None, base: str | None = None) -> Config:
    """A ``Config`` from one file's settings. Keys the engine does not know are kept as check options,
    to be validated by ``bind_options`` once the checks are loaded."""
    config = Config(path=where, lines=dict(lines or {}), base=base)
    if not isinstance(data, dict):
        raise ConfigError(f"{config.where()}: the configuration must be a mapping of keys to values")
    for key, value in data.items():
        if not isinstance(key, str):
            raise ConfigError(f"{config.where()}: key {shown(key)} is not a name")
        if key not in CORE_KEYS:
            config.options[key] = value
            continue
        attribute, kind = CORE_KEYS[key]
        if value is None:  # "key:" with nothing after it: the default
            continue
        try:
            setattr(config, attribute, kind.parse(value))
        except InvalidValue as exc:
            raise ConfigError(f"{config.where(key)}: '{key}' must be {exc}, not {shown(value)}") from None
    if base:
        config.checks_dir = [os.path.join(base, d) for d in config.checks_dir]
    return config


def bind_options(config: Config, specs) -> None:
    """Check the configuration's option keys and values against what the loaded checks declare
    (``@check(options=...)``), and fill in the defaults of the options it does not set. Raises
    ``ConfigError`` naming the file and line. Once per config: later calls do nothing."""
    if config.options_bound:
        return
    known = types.declared(specs)
    unknown = sorted(key for key in config.options if key not in known)
    if unknown:
        every = ", ".join(sorted(set(CORE_KEYS) | set(known)))
        raise ConfigError(f"{config.where(unknown[0])}: unknown key{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(unknown)} (known: {every})")
    for key, (spec, default) in sorted(known.items()):
        if key not in config.options or config.options[key] is None:
            config.options[key] = default
            continue
        option = spec.options[key]  # the type that parses the value: only now is the check's module imported
        try:
            config.options[key] = option.type.parse(config.options[key])
        except InvalidValue as exc:
            raise ConfigError(f"{config.where(key)}: '{key}' must be {exc}, not {shown(config.options[key])}") from None
    config.options_bound = True


def load_config(explicit: str | None = None, paths=()) -> Config:
    """The run's configuration: ``--config`` when given, else the nearest file (config_files.discover)."""
    if explicit:
        if not os.path.exists(explicit):
            raise ConfigError(f"{explicit}: config file not found")
        found = read(explicit)
    else:
        found = discover(paths)
    if found is None:
        return Config()
    return from_file(found)


def from_file(found: ConfigFile) -> Config:
    return build_config(found.data, found.shown, found.lines, str(found.path.parent))
