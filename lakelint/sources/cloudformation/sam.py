"""AWS SAM (``Transform: AWS::Serverless-2016-10-31``): the serverless resources that make data-lake
resources, turned into the CloudFormation resources SAM makes of them, still located in the SAM source.

CloudFormation runs the SAM transform at deploy time; what it deploys is the translator's output, so
that is what the checks must judge. Of SAM's resource types, one makes a resource a lakelint check
judges (read from aws-sam-translator, the library the transform runs, versions 1.106 and 1.110):

========================================  ==================================================  ==========
SAM type                                  what SAM makes of it                                here
========================================  ==================================================  ==========
``AWS::Serverless::SimpleTable``          an ``AWS::DynamoDB::Table``                         mapped
``AWS::Serverless::Function``             Lambda function, role, version and alias,           left alone
                                          permissions, event source mappings, SQS/SNS
                                          destinations, CodeDeploy, function URL
``AWS::Serverless::Api``, ``HttpApi``,    API Gateway APIs, stages, domains, Route 53         left alone
``WebSocketApi`` (1.110)                  records, usage plans
``AWS::Serverless::StateMachine``         Step Functions state machine, role, event rules     left alone
``AWS::Serverless::LayerVersion``         a Lambda layer version                              left alone
``AWS::Serverless::Application``          a nested stack (``AWS::CloudFormation::Stack``)     left alone
``AWS::Serverless::Connector``            IAM managed policies, SQS/SNS policies, Lambda      left alone
                                          permissions (never a bucket policy)
``AWS::Serverless::GraphQLApi``           AppSync API, data sources, resolvers                left alone
``AWS::Serverless::CapacityProvider``     a Lambda capacity provider and its role             left alone
========================================  ==================================================  ==========

A function's ``S3`` event names a bucket the template itself declares (SAM refuses any other): SAM
creates no bucket, it adds a ``NotificationConfiguration`` (and, for a function with a ``Condition``,
a dependency tag) to that ``AWS::S3::Bucket``, which is checked as written: no check reads the
notifications, and one more tag changes no verdict (LL121 asks for tags, never for their absence).
DynamoDB, Kinesis, SQS, MSK and DocumentDB events, and GraphQL data sources, name tables, streams and
clusters made elsewhere. An ``Application``'s resources are in the nested template: lint that one.

**SimpleTable** becomes the table the translator writes:

- ``PrimaryKey: {Name, Type}`` becomes ``AttributeDefinitions: [{AttributeName: Name, AttributeType:
  S|N|B}]`` (``Type`` is ``String``, ``Number`` or ``Binary``) and ``KeySchema: [{AttributeName: Name,
  KeyType: HASH}]``; without ``PrimaryKey`` the key is ``id`` of type ``S``.
- ``ProvisionedThroughput`` is passed through when set; otherwise SAM sets ``BillingMode:
  PAY_PER_REQUEST`` (on-demand), so a SimpleTable without it passes LL514.
- ``SSESpecification``, ``PointInTimeRecoverySpecification`` and ``TableName`` are passed through when
  set (an empty or false value is dropped, as SAM drops it); ``Tags: {k: v}`` becomes ``[{Key: k,
  Value: v}]``. Nothing else can be set: a SimpleTable has no ``DeletionProtectionEnabled``, so LL513
  always fails on one (declare an ``AWS::DynamoDB::Table`` to turn it on).
- ``Globals: {SimpleTable: {SSESpecification: ...}}`` (the one property SAM's ``Globals`` takes for a
  SimpleTable) applies to every table, merged as SAM merges: mappings key by key with the table's own
  value winning, lists concatenated, an intrinsic (``!If``, ``!Ref``) a single value. The resource
  attribute ``IgnoreGlobals`` (``"*"`` or a list of property names) opts a table out.
- The logical id stays, and so do ``Condition``, ``DependsOn``, ``DeletionPolicy``,
  ``UpdateReplacePolicy``, ``UpdatePolicy`` and ``Metadata`` (so lakelint suppressions in it work);
  SAM's own ``IgnoreGlobals`` and ``Connectors`` are dropped, as SAM drops them.

Locations: every value written in the template is the very value the table gets, with its line and
column, so a finding points at the SimpleTable (or at the ``Globals`` line the value comes from). What
SAM adds is located at what implies it: the key attributes at ``PrimaryKey`` (or at the table's
``Type``), ``BillingMode`` at the table's ``Type``. Intrinsics are passed through untouched; the
evaluator resolves them later, as for any resource.

What SAM would refuse (a property a SimpleTable does not have, a property of the wrong shape, a
``PrimaryKey`` without ``Name`` or ``Type`` or with another ``Type``, a ``Globals.SimpleTable``
property other than ``SSESpecification``, an ``IgnoreGlobals`` naming a property ``Globals`` does not
set) is a problem with its line and column: the template cannot be deployed, so the run is incomplete.
The table is still checked as far as it could be mapped.

Why a mapping of our own rather than the translator itself: the library imports boto3 and pydantic
(0.9 s on this machine, where template mode must start in well under 150 ms), needs an AWS Region for
its pseudo parameters, works on plain dictionaries (every line and column would be lost) and stops at
the first error of a template. The mapping is small; tests/test_sam.py compares it with the
translator's output for every SimpleTable shape it knows, so a change in SAM shows up there.
"""

from __future__ import annotations

from lakelint.core.values import LocDict, LocList, pos_of

TRANSFORM = "AWS::Serverless-2016-10-31"
SIMPLE_TABLE = "AWS::Serverless::SimpleTable"
TABLE = "AWS::DynamoDB::Table"

# A SimpleTable's properties, each with the shape SAM accepts (SAM leaves a mapping of one key unchecked).
PROPERTIES = {
    "PointInTimeRecoverySpecification": (None, "anything"),
    "PrimaryKey": ("dict_of_str", "a mapping of Name and Type to text"),
    "ProvisionedThroughput": ("throughput", "a mapping of capacity units to numbers"),
    "SSESpecification": ("dict", "a mapping"),
    "TableName": ("str_or_dict", "text or an intrinsic"),
    "Tags": ("dict", "a mapping of tag keys to values"),
}
# What ``Globals.SimpleTable`` may set.
GLOBAL_PROPERTIES = ("SSESpecification",)
# SAM's own resource attributes: the resource SAM makes does not carry them.
_SAM_ONLY_ATTRIBUTES = ("IgnoreGlobals", "Connectors")
_ATTRIBUTE_TYPES = {"String": "S", "Number": "N", "Binary": "B"}


def declared(root) -> bool:
    """Does the template name the SAM transform (alone, or in a list of transforms)?"""
    transform = root.get("Transform") if isinstance(root, dict) else None
    names = transform if isinstance(transform, list) else [transform]
    return TRANSFORM in names


def translate(root: LocDict) -> tuple:
    """(the template with every SimpleTable turned into the table SAM makes of it, [(message, (line,
    column))] for what SAM would refuse). A template without a SimpleTable comes back as it is."""
    resources = root.get("Resources")
    if not isinstance(resources, dict) or not any(_is_simple_table(body) for body in resources.values()):
        return root, []
    problems = []
    shared = _table_globals(root, problems)
    translated = _like(resources)
    for logical_id, body in resources.items():
        translated[logical_id] = _table(str(logical_id), body, shared, problems) if _is_simple_table(body) else body
    result = _like(root)
    result.update(root)
    result["Resources"] = translated
    return result, problems


def simple_tables(root) -> set:
    """The logical ids of the template's SimpleTables: the resources the transform makes (a fix is never
    guessed on them: lakelint/fixes/intents.py ``blocked_by``)."""
    resources = root.get("Resources") if isinstance(root, dict) else None
    return {str(k) for k, body in resources.items() if _is_simple_table(body)} if isinstance(resources, dict) else set()


def _is_simple_table(body) -> bool:
    return isinstance(body, dict) and body.get("Type") == SIMPLE_TABLE


# -- Globals -------------------------------------------------------------------------------------


def _table_globals(root, problems) -> dict | None:
    """The properties ``Globals.SimpleTable`` sets (None when it has no such section)."""
    if "Globals" not in root:
        return None
    section = root["Globals"]
    if not isinstance(section, dict):
        problems.append(("SAM refuses the Globals section: it must be a mapping", pos_of(root, "Globals")))
        return None
    if "SimpleTable" not in section:
        return None
    table = section["SimpleTable"]
    if not isinstance(table, dict):
        problems.append(("SAM refuses Globals.SimpleTable: it must be a mapping", pos_of(section, "SimpleTable")))
        return None
    for key in table:
        if key not in GLOBAL_PROPERTIES:
            problems.append((f"SAM refuses Globals.SimpleTable.{key}: Globals sets only "
                             f"{', '.join(GLOBAL_PROPERTIES)} for a SimpleTable", _key_pos(table, key)))
    return _pick(table, [k for k in table if k in GLOBAL_PROPERTIES])


def _applied_globals(logical_id, body, shared, problems) -> dict | None:
    """The globals this table takes, after its ``IgnoreGlobals`` (as SAM reads it)."""
    if shared is None:
        return None  # SAM does not look at IgnoreGlobals when Globals has no SimpleTable section
    ignore = body.get("IgnoreGlobals")
    if not ignore:
        return shared
    if ignore == "*":
        return None
    if isinstance(ignore, list):
        for name in ignore:
            if not isinstance(name, str) or name not in shared:
                problems.append((f"SAM refuses IgnoreGlobals of {logical_id}: Globals.SimpleTable does not set "
                                 f"{name}", pos_of(body, "IgnoreGlobals")))
        return _pick(shared, [k for k in shared if k not in ignore])
    problems.append((f"SAM refuses IgnoreGlobals of {logical_id}: it must be \"*\" or a list of property names",
                     pos_of(body, "IgnoreGlobals")))
    return shared


def _merge(shared, local):
    """SAM's Globals merge: mappings key by key (local wins), lists concatenated, anything else (an
    intrinsic included) local. Positions come along with the values."""
    kind = _kind(shared)
    if kind != _kind(local) or kind == "value":
        return local
    if kind == "list":
        merged = LocList(list(shared) + list(local))
        merged.pos = getattr(local, "pos", None)
        merged.item_pos = _item_positions(shared) + _item_positions(local)
        merged.dynamic = _any_dynamic(merged)
        return merged
    merged = _like(shared)
    merged.update(shared)
    for key, value in local.items():
        merged[key] = _merge(shared[key], value) if key in shared else value
        _place(merged, key, local)
    merged.pos = getattr(local, "pos", None) or merged.pos
    merged.dynamic = _any_dynamic(merged)
    return merged


def _kind(value) -> str:
    if isinstance(value, dict):
        return "value" if _is_intrinsic(value) else "dict"
    if isinstance(value, list):
        return "list"
    return "value"


def _is_intrinsic(value) -> bool:
    """SAM's test: a mapping of one key, ``Ref``, ``Condition`` or ``Fn::...``."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return isinstance(key, str) and (key in ("Ref", "Condition") or key.startswith("Fn::"))


# -- SimpleTable ---------------------------------------------------------------------------------


def _table(logical_id, body, shared, problems) -> LocDict:
    """The ``AWS::DynamoDB::Table`` resource SAM makes of one SimpleTable."""
    where = f"SimpleTable {logical_id}"
    type_pos = pos_of(body, "Type")
    if "Properties" in body and not isinstance(body["Properties"], dict):
        problems.append((f"SAM refuses {where}: Properties must be a mapping", pos_of(body, "Properties")))
        local = _empty(type_pos)
    elif "Properties" in body:
        local = body["Properties"]
    else:
        local = _empty(pos_of(body))
    applied = _applied_globals(logical_id, body, shared, problems)
    props = _valid(where, _merge(applied, local) if applied is not None else local, problems)

    table = _like(body)
    for attribute, value in body.items():
        if attribute in _SAM_ONLY_ATTRIBUTES:
            continue
        table[attribute] = value
        _place(table, attribute, body)
    table["Type"] = TABLE
    table["Properties"] = _table_properties(where, props, getattr(local, "pos", None) or pos_of(body), type_pos,
                                            problems)
    table.dynamic = True
    return table


def _table_properties(where, props, pos, type_pos, problems) -> LocDict:
    """The table's properties, as the translator writes them from the SimpleTable's (valid) ones."""
    out = _empty(pos)
    key = _key_schema(where, props, type_pos, problems)
    if key is not None:
        out["AttributeDefinitions"], out["KeySchema"] = key
        at = _key_pos(props, "PrimaryKey") if "PrimaryKey" in props else type_pos
        out.key_pos["AttributeDefinitions"] = out.key_pos["KeySchema"] = at
        out.val_pos["AttributeDefinitions"] = out.val_pos["KeySchema"] = at
    if props.get("PointInTimeRecoverySpecification"):
        _carry(out, props, "PointInTimeRecoverySpecification")
    if props.get("ProvisionedThroughput"):
        _carry(out, props, "ProvisionedThroughput")
    else:
        out["BillingMode"] = "PAY_PER_REQUEST"
        out.key_pos["BillingMode"] = out.val_pos["BillingMode"] = type_pos
    for name in ("SSESpecification", "TableName"):
        if props.get(name):
            _carry(out, props, name)
    if props.get("Tags"):
        out["Tags"] = _tag_list(props["Tags"])
        out.key_pos["Tags"], out.val_pos["Tags"] = _key_pos(props, "Tags"), pos_of(props, "Tags")
    out.dynamic = _any_dynamic(out)
    return out


def _valid(where, props, problems) -> LocDict:
    """The properties SAM accepts, each of the shape SAM accepts; every other one is a problem."""
    kept = []
    for name, value in props.items():
        if name not in PROPERTIES:
            problems.append((f"SAM refuses {where}: it has no property {name} (a SimpleTable takes "
                             f"{', '.join(PROPERTIES)}; declare an {TABLE} to set others)", _key_pos(props, name)))
            continue
        shape, words = PROPERTIES[name]
        # SAM leaves any mapping of one key unchecked, taking it for an intrinsic function
        if value is None or (isinstance(value, dict) and len(value) == 1) or _fits(shape, value):
            kept.append(name)
        else:
            problems.append((f"SAM refuses {where}: {name} must be {words}", pos_of(props, name)))
    valid = _pick(props, kept)
    valid.pos = getattr(props, "pos", None)
    return valid


def _fits(shape, value) -> bool:
    if shape is None:
        return True
    if shape == "dict":
        return isinstance(value, dict)
    if shape == "str_or_dict":
        return isinstance(value, (str, dict))
    if shape == "dict_of_str":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if shape == "throughput":
        return isinstance(value, dict) and all(isinstance(v, (int, dict)) for v in value.values())
    return False


def _key_schema(where, props, type_pos, problems):
    """(AttributeDefinitions, KeySchema) from ``PrimaryKey``, or None when SAM would refuse it."""
    primary = props.get("PrimaryKey")
    if not primary:
        name, kind, name_pos, kind_pos = "id", "S", type_pos, type_pos
    else:
        name, written = primary.get("Name"), primary.get("Type")
        at = pos_of(props, "PrimaryKey")
        if name is None or written is None:
            missing = "Name" if name is None else "Type"
            problems.append((f"SAM refuses {where}: PrimaryKey has no {missing}", at))
            return None
        if written not in _ATTRIBUTE_TYPES:
            problems.append((f"SAM refuses {where}: PrimaryKey Type {written!r} is not one of "
                             f"{', '.join(_ATTRIBUTE_TYPES)}", pos_of(primary, "Type")))
            return None
        kind, name_pos, kind_pos = _ATTRIBUTE_TYPES[written], pos_of(primary, "Name"), pos_of(primary, "Type")
    definition = _mapping([("AttributeName", name, name_pos), ("AttributeType", kind, kind_pos)], name_pos)
    element = _mapping([("AttributeName", name, name_pos), ("KeyType", "HASH", name_pos)], name_pos)
    return _sequence([definition], name_pos), _sequence([element], name_pos)


def _tag_list(tags) -> LocList:
    """SAM's ``Tags: {k: v}`` as CloudFormation's ``[{Key: k, Value: v}]`` (a null value becomes "")."""
    items = []  # an intrinsic in place of the mapping becomes one odd tag, as SAM writes it
    for key, value in tags.items():
        items.append(_mapping([("Key", key, _key_pos(tags, key)),
                               ("Value", "" if value is None else value, pos_of(tags, key))], _key_pos(tags, key)))
    return _sequence(items, getattr(tags, "pos", None))


# -- position-keeping helpers --------------------------------------------------------------------


def _like(source) -> LocDict:
    """An empty LocDict with ``source``'s positions (its own and its keys')."""
    target = LocDict()
    target.pos = getattr(source, "pos", None)
    target.dynamic = getattr(source, "dynamic", True)
    if isinstance(source, LocDict):
        target.key_pos = dict(source.key_pos)
        target.val_pos = dict(source.val_pos)
    return target


def _empty(pos) -> LocDict:
    target = LocDict()
    target.pos = pos
    return target


def _pick(source, keys) -> LocDict:
    picked = _empty(getattr(source, "pos", None))
    for key in keys:
        picked[key] = source[key]
        _place(picked, key, source)
    picked.dynamic = _any_dynamic(picked)
    return picked


def _place(target: LocDict, key, source) -> None:
    """Give ``target[key]`` the key and value positions it has in ``source``."""
    if isinstance(source, LocDict):
        if key in source.key_pos:
            target.key_pos[key] = source.key_pos[key]
        if key in source.val_pos:
            target.val_pos[key] = source.val_pos[key]


def _carry(target: LocDict, source, key) -> None:
    target[key] = source[key]
    _place(target, key, source)


def _key_pos(container, key):
    if isinstance(container, LocDict):
        return container.key_pos.get(key) or container.pos
    return getattr(container, "pos", None)


def _mapping(entries, pos) -> LocDict:
    result = _empty(pos)
    for key, value, at in entries:
        result[key] = value
        result.key_pos[key] = result.val_pos[key] = at
    result.dynamic = _any_dynamic(result)
    return result


def _sequence(items, pos) -> LocList:
    result = LocList(items)
    result.pos = pos
    result.item_pos = [getattr(item, "pos", None) or pos for item in items]
    result.dynamic = _any_dynamic(result)
    return result


def _item_positions(value) -> list:
    positions = list(getattr(value, "item_pos", []))
    return positions + [getattr(value, "pos", None)] * (len(value) - len(positions))


def _any_dynamic(container) -> bool:
    """Does the container hold an intrinsic (what tells the evaluator it must walk it)?"""
    values = container.values() if isinstance(container, dict) else container
    if isinstance(container, dict) and _is_intrinsic(container):
        return True
    return any(isinstance(v, (dict, list)) and getattr(v, "dynamic", True) for v in values)
