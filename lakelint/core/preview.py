"""Preview checks: new checks ship as preview (``@check(..., preview=True)``) and stay out of every
run until a release promotes them, so an upgrade never fails a pipeline that passed the day before
(ruff's preview, DESIGN section 11).

The engine leaves preview checks out of the selection unless ``--preview`` or ``preview: true`` turns
them on; prefixes (``LL1``) and ``ALL`` never pull one in. A check named exactly (by code or name) in
``select`` without preview does not run either, and this module says so in one line, so the user
does not mistake its silence for a pass.
"""

from __future__ import annotations


def preview_warnings(specs, config) -> list:
    """One warning per preview check that ``config.select`` names exactly while preview is off."""
    if config.preview:
        return []
    by_key = {}
    for spec in specs:
        if spec.preview:
            by_key[spec.code.upper()] = spec
            by_key[spec.name.lower()] = spec
    warnings, seen = [], set()
    for token in config.select or ():
        spec = by_key.get(token.strip().upper()) or by_key.get(token.strip().lower())
        if spec is None or spec.code in seen:
            continue
        seen.add(spec.code)
        warnings.append(f"{spec.code} ({spec.name}) is a preview check and does not run without preview: "
                        f"add --preview, or `preview: true` to the configuration")
    return warnings
