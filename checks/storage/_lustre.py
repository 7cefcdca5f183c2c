"""What the FSx for Lustre checks (LL421-LL424) share: the branches in which a file system is Lustre,
its deployment type, and whether it is linked to S3."""

from __future__ import annotations

from lakelint.core.propcheck import props_branches, text
from lakelint.core.values import LocDict, MISSING, is_unresolved


LUSTRE_KEYS = ("DeploymentType", "ImportPath", "AutomaticBackupRetentionDays")


def lustre_branches(fs, *keys):
    """The branches of an ``AWS::FSx::FileSystem`` in which it is an FSx for Lustre file system, each
    with its deployment type (``SCRATCH_1`` when ``LustreConfiguration.DeploymentType`` is absent, as
    FSx defaults) as upper-case text, or the Unresolved value it comes from.

    Only the Lustre settings these checks read are expanded, so a parameter that picks, say, the
    compression type does not multiply the findings."""
    props = fs.props if isinstance(fs.props, dict) else {}
    narrowed = _narrowed(props, "LustreConfiguration", LUSTRE_KEYS)
    for branch in props_branches(_Narrowed(fs, narrowed), "FileSystemType", "LustreConfiguration", *keys):
        values = branch.value
        kind = values.get("FileSystemType", MISSING)
        config = values.get("LustreConfiguration", MISSING)
        if text(kind) != "lustre" and not (is_unresolved(kind) and isinstance(config, dict)):
            continue
        deployment = config.get("DeploymentType", MISSING) if isinstance(config, dict) else MISSING
        if deployment is MISSING:
            deployment = "SCRATCH_1"
        elif not is_unresolved(deployment):
            deployment = str(deployment).upper()
        yield branch, values, config if isinstance(config, dict) else LocDict(), deployment


def _narrowed(props, key, inner_keys):
    """``props`` with the plain mapping under ``key`` cut down to ``inner_keys`` (an intrinsic there,
    such as a whole-block Fn::If, is kept as written)."""
    block = props.get(key) if isinstance(props, dict) else None
    if not isinstance(block, LocDict) or (len(block) == 1 and next(iter(block)).startswith(("Fn::", "Ref"))):
        return props
    cut = LocDict((k, v) for k, v in block.items() if k in inner_keys)
    cut.pos = block.pos
    cut.dynamic = block.dynamic
    cut.key_pos = {k: p for k, p in block.key_pos.items() if k in inner_keys}
    cut.val_pos = {k: p for k, p in block.val_pos.items() if k in inner_keys}
    copy = LocDict(props)
    copy.pos, copy.dynamic = props.pos, props.dynamic
    copy.key_pos, copy.val_pos = dict(props.key_pos), dict(props.val_pos)
    copy[key] = cut
    return copy


class _Narrowed:
    """A resource seen through narrowed properties (same expansion, positions and links)."""

    def __init__(self, resource, props):
        self.props = props
        self.pos = resource.pos
        self.expand = resource.expand


def s3_linked(fs, config) -> bool:
    """An FSx for Lustre file system with an S3 data repository: a legacy ``ImportPath`` or an
    ``AWS::FSx::DataRepositoryAssociation`` in the template."""
    import_path = config.get("ImportPath", MISSING) if isinstance(config, dict) else MISSING
    return bool(import_path) or bool(fs.related("data_repository_associations"))


def unreadable_link(fs, config):
    """Live: when the listing of data repository associations failed, the ``Unreadable`` that stands
    for them (kept at the live-only ``DataRepositoryAssociations`` key) on a file system that shows
    no other link to S3: whether it is linked is then unknown, not no. None otherwise."""
    if s3_linked(fs, config):
        return None
    value = fs.props.get("DataRepositoryAssociations") if isinstance(fs.props, dict) else None
    return value if is_unresolved(value) else None


def key_line(values, key):
    """A ``fail(at=...)`` target: where ``key`` itself is written (a block's first line), else nothing."""
    if isinstance(values, LocDict):
        return values.key_pos.get(key)
    return None
