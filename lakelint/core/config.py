"""Configuration: ``.lakelint.yaml``, ``[tool.lakelint]`` in ``pyproject.toml``, or ``--config FILE``.

Keys are the ones DESIGN.md fixes, plus a few that checks declare as options. An unknown key is an
error naming the file: a typo in ``ignore`` must not silently turn a gate off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lakelint.core.exits import SEVERITY_ORDER

KNOWN_KEYS = {
    "select", "ignore", "fail-on", "exclude", "per-file-ignores", "bucket-quota", "trusted-accounts",
    "required-tags", "min-backup-days", "severity", "max-file-size", "cfn-lint", "checks-dir",
}


class ConfigError(Exception):
    pass


@dataclass
class Config:
    select: list = field(default_factory=list)
    ignore: list = field(default_factory=list)
    fail_on: str = "low"
    exclude: list = field(default_factory=list)
    per_file_ignores: dict = field(default_factory=dict)
    severity: dict = field(default_factory=dict)  # code or name -> severity override
    max_file_size: int = 10 * 1024 * 1024
    cfn_lint: bool = False
    checks_dir: list = field(default_factory=list)
    options: dict = field(default_factory=dict)  # check options: bucket-quota, trusted-accounts, ...
    path: str | None = None  # where it was read from
    # Added in the second round (DESIGN section 11); parsed and validated by build_config.
    unverifiable: str = "fail"  # fail | warn | ignore: whether unverifiable findings gate the exit code
    preview: bool = False  # run preview checks too
    check_timeout: float = 10.0  # seconds one check may spend on one resource (or file) before it is stopped
    live_regions: str | None = None  # "all" | "active": where account-level defaults are reported (live)

    def option(self, key, default=None):
        return self.options.get(key, default)


def _load_file(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    if path.suffix == ".toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("lakelint", {})
        return data
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: invalid YAML: {exc.problem}") from None
    return data or {}


def find_config(explicit: str | None) -> tuple[dict, str | None]:
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(f"{explicit}: config file not found")
        return _load_file(path), explicit
    for name in (".lakelint.yaml", ".lakelint.yml"):
        path = Path(name)
        if path.is_file():
            return _load_file(path), name
    pyproject = Path("pyproject.toml")
    # only a pyproject.toml that has our table is ours to read (and to complain about)
    if pyproject.is_file() and "tool.lakelint" in pyproject.read_text(encoding="utf-8", errors="replace"):
        data = _load_file(pyproject)
        if data:
            return data, "pyproject.toml"
    return {}, None


def _codes(value, key, where) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of check codes or names")
    return value


def build_config(data: dict, where: str | None) -> Config:
    where = where or "configuration"
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: the configuration must be a mapping")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(KNOWN_KEYS))})")
    config = Config(path=where if where != "configuration" else None)
    config.select = _codes(data.get("select"), "select", where)
    config.ignore = _codes(data.get("ignore"), "ignore", where)
    fail_on = str(data.get("fail-on", "low")).lower()
    if fail_on not in SEVERITY_ORDER:
        raise ConfigError(f"{where}: 'fail-on' must be high, medium, low or never")
    config.fail_on = fail_on
    config.exclude = [str(p) for p in (data.get("exclude") or [])]
    pfi = data.get("per-file-ignores") or {}
    if not isinstance(pfi, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must map globs to lists of codes")
    config.per_file_ignores = {str(k): _codes(v, "per-file-ignores", where) for k, v in pfi.items()}
    severity = data.get("severity") or {}
    if not isinstance(severity, dict) or any(str(v) not in ("low", "medium", "high") for v in severity.values()):
        raise ConfigError(f"{where}: 'severity' must map check codes to high, medium or low")
    config.severity = {str(k): str(v) for k, v in severity.items()}
    size = data.get("max-file-size", config.max_file_size)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ConfigError(f"{where}: 'max-file-size' must be a positive number of bytes")
    config.max_file_size = size
    config.cfn_lint = bool(data.get("cfn-lint", False))
    dirs = data.get("checks-dir") or []
    config.checks_dir = [dirs] if isinstance(dirs, str) else list(dirs)
    quota = data.get("bucket-quota", 100)
    if not (quota == "auto" or (isinstance(quota, int) and not isinstance(quota, bool) and quota > 0)):
        raise ConfigError(f"{where}: 'bucket-quota' must be a positive number or auto")
    config.options["bucket-quota"] = quota
    accounts = data.get("trusted-accounts") or []
    config.options["trusted-accounts"] = [str(a) for a in accounts]
    config.options["required-tags"] = [str(t) for t in (data.get("required-tags") or [])]
    days = data.get("min-backup-days", 7)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ConfigError(f"{where}: 'min-backup-days' must be a whole number of days")
    config.options["min-backup-days"] = days
    return config


def load_config(explicit: str | None = None) -> Config:
    data, where = find_config(explicit)
    return build_config(data, where)
