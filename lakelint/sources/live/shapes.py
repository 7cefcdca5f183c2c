"""API responses in CloudFormation's property shape, so checks read one shape whatever the source.

Each function takes one boto3 response and returns the value for one CloudFormation property (or
``MISSING`` when the response says the property is not configured). Keys CloudFormation does not have
are left out, except the few live-only ones documented in the inventory contract (``AclGrants``,
``PolicyStatus``). Dates become ISO-8601 text, as a template would write them.
"""

from __future__ import annotations

import datetime as _dt
import json

from lakelint.core.values import MISSING

PUBLIC_ACCESS_SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"


def _text(value):
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return value


def _pick(source: dict, mapping: dict) -> dict:
    """{cfn_key: source[api_key]} for the keys that are present."""
    return {cfn: _text(source[api]) for api, cfn in mapping.items() if source.get(api) is not None}


def public_access_block(response) -> dict:
    if response is None:
        return MISSING
    config = response.get("PublicAccessBlockConfiguration") or {}
    return {key: bool(config[key]) for key in PUBLIC_ACCESS_SETTINGS if key in config}


def bucket_encryption(response):
    if response is None:
        return MISSING
    rules = []
    for rule in (response.get("ServerSideEncryptionConfiguration") or {}).get("Rules", []):
        entry = {}
        default = rule.get("ApplyServerSideEncryptionByDefault")
        if default is not None:
            entry["ServerSideEncryptionByDefault"] = _pick(default, {"SSEAlgorithm": "SSEAlgorithm",
                                                                      "KMSMasterKeyID": "KMSMasterKeyID"})
        if "BucketKeyEnabled" in rule:
            entry["BucketKeyEnabled"] = bool(rule["BucketKeyEnabled"])
        rules.append(entry)
    return {"ServerSideEncryptionConfiguration": rules}


def _lifecycle_filter(rule: dict, out: dict) -> None:
    """A rule's Filter (or its legacy top-level Prefix) as CloudFormation's Prefix / TagFilters /
    ObjectSize* keys."""
    if rule.get("Prefix") is not None:
        out["Prefix"] = rule["Prefix"]
    found = rule.get("Filter") or {}
    scope = found.get("And") or found
    if scope.get("Prefix") is not None:
        out["Prefix"] = scope["Prefix"]
    tags = list(scope.get("Tags") or [])
    if found.get("Tag"):
        tags.append(found["Tag"])
    if tags:
        out["TagFilters"] = [{"Key": t.get("Key"), "Value": t.get("Value")} for t in tags]
    for key in ("ObjectSizeGreaterThan", "ObjectSizeLessThan"):
        if scope.get(key) is not None:
            out[key] = scope[key]


def lifecycle_rule(rule: dict) -> dict:
    out = _pick(rule, {"ID": "Id", "Status": "Status"})
    _lifecycle_filter(rule, out)
    expiration = rule.get("Expiration") or {}
    out.update(_pick(expiration, {"Days": "ExpirationInDays", "Date": "ExpirationDate",
                                  "ExpiredObjectDeleteMarker": "ExpiredObjectDeleteMarker"}))
    transitions = [_pick(t, {"StorageClass": "StorageClass", "Days": "TransitionInDays", "Date": "TransitionDate"})
                   for t in rule.get("Transitions") or []]
    if transitions:
        out["Transitions"] = transitions
    noncurrent = rule.get("NoncurrentVersionExpiration")
    if noncurrent:
        out["NoncurrentVersionExpiration"] = _pick(noncurrent, {
            "NoncurrentDays": "NoncurrentDays", "NewerNoncurrentVersions": "NewerNoncurrentVersions"})
    noncurrent_transitions = [
        _pick(t, {"StorageClass": "StorageClass", "NoncurrentDays": "TransitionInDays",
                  "NewerNoncurrentVersions": "NewerNoncurrentVersions"})
        for t in rule.get("NoncurrentVersionTransitions") or []]
    if noncurrent_transitions:
        out["NoncurrentVersionTransitions"] = noncurrent_transitions
    abort = rule.get("AbortIncompleteMultipartUpload")
    if abort:
        out["AbortIncompleteMultipartUpload"] = _pick(abort, {"DaysAfterInitiation": "DaysAfterInitiation"})
    return out


def lifecycle_configuration(response):
    if response is None:
        return MISSING
    return {"Rules": [lifecycle_rule(rule) for rule in response.get("Rules") or []]}


def versioning_configuration(response):
    """Absent when versioning was never turned on (the API then returns no Status)."""
    status = (response or {}).get("Status")
    return {"Status": status} if status else MISSING


def object_lock(response) -> dict:
    """``ObjectLockEnabled`` (true when S3 Object Lock is on) and ``ObjectLockConfiguration`` (its
    default retention), as a template writes them. Absent when the bucket was created without it (S3
    answers ObjectLockConfigurationNotFoundError, read as "not configured")."""
    config = (response or {}).get("ObjectLockConfiguration") or {}
    if config.get("ObjectLockEnabled") != "Enabled":
        return {"ObjectLockEnabled": MISSING, "ObjectLockConfiguration": MISSING}
    shaped = {"ObjectLockEnabled": "Enabled"}
    retention = (config.get("Rule") or {}).get("DefaultRetention")
    if retention:
        shaped["Rule"] = {"DefaultRetention": _pick(retention, {"Mode": "Mode", "Days": "Days", "Years": "Years"})}
    return {"ObjectLockEnabled": True, "ObjectLockConfiguration": shaped}


def replication_configuration(response):
    """GetBucketReplication's answer in ``ReplicationConfiguration``'s shape (``ID`` is ``Id`` there)."""
    config = (response or {}).get("ReplicationConfiguration")
    if not config:
        return MISSING
    rules = []
    for rule in config.get("Rules") or []:
        shaped = {("Id" if key == "ID" else key): value for key, value in rule.items()}
        rules.append(shaped)
    return {"Role": config.get("Role"), "Rules": rules}


def accelerate_configuration(response):
    status = (response or {}).get("Status")
    return {"AccelerationStatus": status} if status else MISSING


def logging_configuration(response):
    enabled = (response or {}).get("LoggingEnabled")
    if not enabled:
        return MISSING
    return _pick(enabled, {"TargetBucket": "DestinationBucketName", "TargetPrefix": "LogFilePrefix"})


def website_configuration(response):
    if response is None:
        return MISSING
    out = {}
    if response.get("IndexDocument"):
        out["IndexDocument"] = response["IndexDocument"].get("Suffix")
    if response.get("ErrorDocument"):
        out["ErrorDocument"] = response["ErrorDocument"].get("Key")
    if response.get("RedirectAllRequestsTo"):
        out["RedirectAllRequestsTo"] = _pick(response["RedirectAllRequestsTo"],
                                             {"HostName": "HostName", "Protocol": "Protocol"})
    rules = []
    for rule in response.get("RoutingRules") or []:
        entry = {"RedirectRule": _pick(rule.get("Redirect") or {}, {
            "HostName": "HostName", "HttpRedirectCode": "HttpRedirectCode", "Protocol": "Protocol",
            "ReplaceKeyPrefixWith": "ReplaceKeyPrefixWith", "ReplaceKeyWith": "ReplaceKeyWith"})}
        if rule.get("Condition"):
            entry["RoutingRuleCondition"] = _pick(rule["Condition"], {
                "HttpErrorCodeReturnedEquals": "HttpErrorCodeReturnedEquals", "KeyPrefixEquals": "KeyPrefixEquals"})
        rules.append(entry)
    if rules:
        out["RoutingRules"] = rules
    return out


# What S3 applies to a bucket without ownership controls (one created before April 2023 and never
# changed): ACLs enabled, objects owned by the account that wrote them.
OWNERSHIP_WITHOUT_CONTROLS = "ObjectWriter"


def ownership_controls(response):
    """A bucket without ownership controls (``OwnershipControlsNotFoundError``) gets the rule S3 applies
    to it, ``ObjectWriter``: in a template an absent ``OwnershipControls`` means the creation default,
    ``BucketOwnerEnforced``, which is not what such an existing bucket has."""
    if response is None:
        return {"Rules": [{"ObjectOwnership": OWNERSHIP_WITHOUT_CONTROLS}]}
    rules = (response.get("OwnershipControls") or {}).get("Rules") or []
    return {"Rules": [{"ObjectOwnership": r.get("ObjectOwnership")} for r in rules]}


def tags(response):
    if response is None:
        return MISSING
    return [{"Key": t.get("Key"), "Value": t.get("Value")} for t in response.get("TagSet") or []]


def cors_configuration(response):
    if response is None:
        return MISSING
    rules = [_pick(rule, {"ID": "Id", "AllowedHeaders": "AllowedHeaders", "AllowedMethods": "AllowedMethods",
                          "AllowedOrigins": "AllowedOrigins", "ExposeHeaders": "ExposedHeaders",
                          "MaxAgeSeconds": "MaxAge"})
             for rule in response.get("CORSRules") or []]
    return {"CorsRules": rules}


def acl_grants(response) -> list:
    grants = []
    for grant in (response or {}).get("Grants") or []:
        grantee = {k: grant["Grantee"][k] for k in ("Type", "URI", "ID") if grant.get("Grantee", {}).get(k)}
        grants.append({"Grantee": grantee, "Permission": grant.get("Permission")})
    return grants


def canned_acl(response):
    """The canned ACL the grants amount to, when they match one exactly; otherwise ``MISSING``
    (the grants are then only in ``AclGrants``)."""
    owner = ((response or {}).get("Owner") or {}).get("ID")
    got = set()
    for grant in (response or {}).get("Grants") or []:
        grantee = grant.get("Grantee") or {}
        who = "owner" if owner and grantee.get("ID") == owner else grantee.get("URI") or grantee.get("ID")
        got.add((who, grant.get("Permission")))
    base = {("owner", "FULL_CONTROL")}
    canned = {
        "Private": base,
        "PublicRead": base | {(ALL_USERS, "READ")},
        "PublicReadWrite": base | {(ALL_USERS, "READ"), (ALL_USERS, "WRITE")},
        "AuthenticatedRead": base | {(AUTHENTICATED_USERS, "READ")},
        "LogDeliveryWrite": base | {(LOG_DELIVERY, "WRITE"), (LOG_DELIVERY, "READ_ACP")},
    }
    for name, grants in canned.items():
        if got == grants:
            return name
    return MISSING


def policy_document(text):
    """The policy as a dict; the text itself when it is not JSON (``Policy.parse`` then says so)."""
    if not isinstance(text, str):
        return MISSING
    try:
        return json.loads(text)
    except ValueError:
        return text


def policy_status(response):
    if response is None:
        return MISSING
    status = response.get("PolicyStatus") or {}
    return {"IsPublic": bool(status["IsPublic"])} if "IsPublic" in status else {}


def vpc_endpoint(endpoint: dict) -> dict:
    props = _pick(endpoint, {"ServiceName": "ServiceName", "VpcEndpointType": "VpcEndpointType", "VpcId": "VpcId"})
    document = policy_document(endpoint.get("PolicyDocument"))
    if document is not MISSING:
        props["PolicyDocument"] = document
    for key in ("RouteTableIds", "SubnetIds"):
        if endpoint.get(key):
            props[key] = list(endpoint[key])
    if endpoint.get("PrivateDnsEnabled") is not None:
        props["PrivateDnsEnabled"] = bool(endpoint["PrivateDnsEnabled"])
    groups = [g.get("GroupId") for g in endpoint.get("Groups") or [] if g.get("GroupId")]
    if groups:
        props["SecurityGroupIds"] = groups
    return props


AWS_MANAGED_TABLE_BUCKET = "aws"  # S3 Metadata's TableBucketType for a V2 configuration (bucket aws-s3)


def metadata_configuration(response) -> dict:
    """GetBucketMetadataConfiguration's answer as the property a template sets: ``MetadataConfiguration``
    (V2, stored in the AWS managed table bucket, TableBucketType ``aws``) or ``MetadataTableConfiguration``
    (V1, in a customer table bucket: the V2 call answers both), the other one absent. Both are absent when
    the bucket has none (MetadataConfigurationNotFound, or an answer without a configuration). The
    tables' encryption is not in this answer: the collector adds it (``table_encryption``)."""
    result = ((response or {}).get("GetBucketMetadataConfigurationResult") or {}).get("MetadataConfigurationResult")
    if not result:
        return {"MetadataConfiguration": MISSING, "MetadataTableConfiguration": MISSING}
    destination = result.get("DestinationResult") or {}
    journal = result.get("JournalTableConfigurationResult") or {}
    if destination.get("TableBucketType", AWS_MANAGED_TABLE_BUCKET) != AWS_MANAGED_TABLE_BUCKET:
        legacy = {**_pick(destination, {"TableBucketArn": "TableBucketArn", "TableNamespace": "TableNamespace"}),
                  **_pick(journal, {"TableName": "TableName", "TableArn": "TableArn"})}
        return {"MetadataConfiguration": MISSING, "MetadataTableConfiguration": {"S3TablesDestination": legacy}}
    shaped = {"Destination": _pick(destination, {"TableBucketType": "TableBucketType",
                                                 "TableBucketArn": "TableBucketArn",
                                                 "TableNamespace": "TableNamespace"}),
              "JournalTableConfiguration": _pick(journal, {"TableName": "TableName", "TableArn": "TableArn"})}
    expiration = journal.get("RecordExpiration")
    if expiration:
        shaped["JournalTableConfiguration"]["RecordExpiration"] = _pick(
            expiration, {"Expiration": "Expiration", "Days": "Days"})
    inventory = result.get("InventoryTableConfigurationResult")
    if inventory:
        shaped["InventoryTableConfiguration"] = _pick(inventory, {"ConfigurationState": "ConfigurationState",
                                                                  "TableName": "TableName", "TableArn": "TableArn"})
    return {"MetadataConfiguration": shaped, "MetadataTableConfiguration": MISSING}


def table_encryption(response) -> dict:
    """S3 Tables' GetTableEncryption answer as S3 Metadata's ``EncryptionConfiguration`` of a table
    (``SseAlgorithm``, ``KmsKeyArn``: the names CloudFormation gives them there)."""
    config = (response or {}).get("encryptionConfiguration") or {}
    return _pick(config, {"sseAlgorithm": "SseAlgorithm", "kmsKeyArn": "KmsKeyArn"})
