"""Lake Formation of one region: its data lake settings, registered locations and permissions.

- ``GetDataLakeSettings`` -> one ``AWS::LakeFormation::DataLakeSettings`` record per region, named by
  the account (the catalog id): ``Admins`` (the API's ``DataLakeAdmins``), ``ReadOnlyAdmins``,
  ``CreateDatabaseDefaultPermissions``, ``CreateTableDefaultPermissions``, ... as CloudFormation has them.
- ``ListResources`` -> ``AWS::LakeFormation::Resource`` {``ResourceArn``, ``RoleArn``,
  ``UseServiceLinkedRole``, ...}, one per registered location, named by its ARN. Each ResourceInfo
  also states ``HybridAccessEnabled`` (the same record ``DescribeResource`` gives one at a time), copied
  as given; a ResourceInfo without it is a location not in hybrid access mode, as a template that
  leaves the property out.
- ``ListPermissions`` -> ``AWS::LakeFormation::PrincipalPermissions`` {``Principal``, ``Resource``,
  ``Permissions``, ``PermissionsWithGrantOption``}: the API's shape is CloudFormation's already.

The data lake settings exist in every region whether or not the account uses Lake Formation there:
they are a regional default (see regions.py).

Lake Formation shows a caller only the grants it may see; a scanning role that is not a data lake
administrator (or read-only administrator) gets a partial list. A listing that fails leaves a stand-in
record whose properties are ``Unreadable`` (``registrations`` / ``permissions``), so the checks that
read registrations or grants say "could not evaluate" instead of judging on half the account.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides, token_pages
from lakelint.sources.live.faults import Fault

GET_DATA_LAKE_SETTINGS = read_call("lakeformation", "GetDataLakeSettings", "lakeformation:GetDataLakeSettings")
LIST_RESOURCES = read_call("lakeformation", "ListResources", "lakeformation:ListResources")
LIST_PERMISSIONS = read_call("lakeformation", "ListPermissions", "lakeformation:ListPermissions")

SETTINGS_TYPE = "AWS::LakeFormation::DataLakeSettings"
REGISTRATION_TYPE = "AWS::LakeFormation::Resource"
GRANT_TYPE = "AWS::LakeFormation::PrincipalPermissions"
SERVICE_LINKED_ROLE = "AWSServiceRoleForLakeFormationDataAccess"
# API name -> CloudFormation name, for the settings that keep their meaning
_SETTINGS = (("DataLakeAdmins", "Admins"), ("ReadOnlyAdmins", "ReadOnlyAdmins"),
             ("CreateDatabaseDefaultPermissions", "CreateDatabaseDefaultPermissions"),
             ("CreateTableDefaultPermissions", "CreateTableDefaultPermissions"),
             ("TrustedResourceOwners", "TrustedResourceOwners"), ("Parameters", "Parameters"),
             ("AllowExternalDataFiltering", "AllowExternalDataFiltering"),
             ("ExternalDataFilteringAllowList", "ExternalDataFilteringAllowList"),
             ("AuthorizedSessionTagValueList", "AuthorizedSessionTagValueList"))
_LISTS = ("Admins", "CreateDatabaseDefaultPermissions", "CreateTableDefaultPermissions")


def catalog_arn(partition, region, account) -> str:
    return f"arn:{partition}:glue:{region}:{account}:catalog"


def _settings(ctx, region, account, partition) -> LiveRecord:
    try:
        answer = ctx.read(GET_DATA_LAKE_SETTINGS, region) or {}
    except Fault as fault:
        unreadable = fault.value()
        props = {name: unreadable for name in _LISTS}
    else:
        found = answer.get("DataLakeSettings") or {}
        props = {cfn: found[api] for api, cfn in _SETTINGS if api in found}
        for name in _LISTS:  # the API states the account's lists; an omitted one is empty
            props.setdefault(name, [])
    return LiveRecord(type=SETTINGS_TYPE, name=account, props=props, arn=catalog_arn(partition, region, account),
                      default=True)


def _registrations(ctx, region, account, partition) -> list:
    records = []
    try:
        for page in token_pages(ctx, LIST_RESOURCES, region):
            for info in page.get("ResourceInfoList") or []:
                arn = info.get("ResourceArn")
                if not arn:
                    continue
                role = info.get("RoleArn")
                props = {"ResourceArn": arn,
                         "UseServiceLinkedRole": bool(role) and role.rsplit("/", 1)[-1] == SERVICE_LINKED_ROLE}
                if role:
                    props["RoleArn"] = role
                for extra in ("WithFederation", "HybridAccessEnabled", "WithPrivilegedAccess"):
                    if extra in info:
                        props[extra] = info[extra]
                records.append(LiveRecord(type=REGISTRATION_TYPE, name=arn, props=props, arn=arn))
    except Fault as fault:
        return [LiveRecord(type=REGISTRATION_TYPE, name="registrations", props={"ResourceArn": fault.value()},
                           arn=catalog_arn(partition, region, account))]
    return records


def describe(resource: dict) -> tuple[str, str | None]:
    """What a grant is on, in words, and the ARN of that resource (None: the catalog)."""
    if "Database" in resource:
        db = resource["Database"]
        return f"database {db.get('Name')}", f"database/{db.get('Name')}"
    for kind, label in (("Table", "table"), ("TableWithColumns", "columns of table")):
        if kind in resource:
            table = resource[kind]
            name = table.get("Name") or ("*" if "TableWildcard" in table else "?")
            return f"{label} {table.get('DatabaseName')}.{name}", f"table/{table.get('DatabaseName')}/{name}"
    if "DataLocation" in resource:
        arn = resource["DataLocation"].get("ResourceArn")
        return f"location {arn}", arn
    if "DataCellsFilter" in resource:
        cells = resource["DataCellsFilter"]
        return (f"data filter {cells.get('DatabaseName')}.{cells.get('TableName')}.{cells.get('Name')}",
                f"table/{cells.get('DatabaseName')}/{cells.get('TableName')}")
    if "LFTag" in resource:
        return f"LF-tag {resource['LFTag'].get('TagKey')}", None
    if "LFTagPolicy" in resource:
        return f"LF-tag policy on {resource['LFTagPolicy'].get('ResourceType', '').lower()}s", None
    return "the catalog", None


def _grant_arn(resource: dict, relative: str | None, partition, region, account) -> str:
    if relative and relative.startswith("arn:"):
        return relative
    catalog_id = next((v.get("CatalogId") for v in resource.values() if isinstance(v, dict) and v.get("CatalogId")),
                      None) or account
    base = catalog_arn(partition, region, catalog_id)
    return base if not relative else base[: -len("catalog")] + relative


def _grants(ctx, region, account, partition) -> list:
    records, seen = [], {}
    try:
        for page in token_pages(ctx, LIST_PERMISSIONS, region):
            for entry in page.get("PrincipalResourcePermissions") or []:
                principal = (entry.get("Principal") or {}).get("DataLakePrincipalIdentifier", "?")
                resource = entry.get("Resource") or {}
                what, relative = describe(resource)
                name = f"{principal} on {what}"
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:
                    name = f"{name} #{seen[name]}"
                props = {"Principal": entry.get("Principal") or {}, "Resource": resource,
                         "Permissions": entry.get("Permissions") or [],
                         "PermissionsWithGrantOption": entry.get("PermissionsWithGrantOption") or []}
                if entry.get("Condition"):
                    props["Condition"] = entry["Condition"]
                records.append(LiveRecord(type=GRANT_TYPE, name=name, props=props,
                                          arn=_grant_arn(resource, relative, partition, region, account)))
    except Fault as fault:
        unreadable = fault.value()
        return [LiveRecord(type=GRANT_TYPE, name="permissions", arn=catalog_arn(partition, region, account),
                           props={"Principal": {"DataLakePrincipalIdentifier": unreadable},
                                  "Permissions": unreadable})]
    return records


def collect(ctx, region) -> list:
    account, partition = ctx.account, ctx.partition(region)
    records = []
    if ctx.wants(GET_DATA_LAKE_SETTINGS):
        records.append(_settings(ctx, region, account, partition))
    if ctx.wants(LIST_RESOURCES):
        records += _registrations(ctx, region, account, partition)
    if ctx.wants(LIST_PERMISSIONS):
        records += _grants(ctx, region, account, partition)
    return records


COLLECTOR = Collector(
    name="Lake Formation",
    types={
        # MutationType: how a template's update applies (APPEND, REPLACE), absent live (collector.fields)
        SETTINGS_TYPE: provides((), fields(GET_DATA_LAKE_SETTINGS, *(cfn for _, cfn in _SETTINGS), "MutationType")),
        REGISTRATION_TYPE: provides(LIST_RESOURCES, fields(
            LIST_RESOURCES, "ResourceArn", "RoleArn", "UseServiceLinkedRole", "WithFederation", "HybridAccessEnabled",
            "WithPrivilegedAccess")),
        # Catalog: the catalog a template's grant names, absent live (the Resource names it; collector.fields)
        GRANT_TYPE: provides(LIST_PERMISSIONS, fields(
            LIST_PERMISSIONS, "Principal", "Resource", "Permissions", "PermissionsWithGrantOption", "Condition",
            "Catalog")),
        # the older grant type: live grants are all PrincipalPermissions records, so no record of this type
        # is ever made; its properties are declared (as ListPermissions would give them) so that a check
        # that judges both grant types can declare what it reads of each
        "AWS::LakeFormation::Permissions": provides(LIST_PERMISSIONS, fields(
            LIST_PERMISSIONS, "DataLakePrincipal", "Resource", "Permissions", "PermissionsWithGrantOption")),
    },
    collect=collect,
)
