"""Redshift Serverless namespaces of one region, in ``AWS::RedshiftServerless::Namespace``'s shape.

``ListNamespaces`` gives everything the checks read, so one paginated listing per region is all:

- ``KmsKeyId``: the key the namespace names. Redshift Serverless reports ``AWS_OWNED_KMS_KEY`` for a
  namespace encrypted with a key AWS owns, which a template says by leaving ``KmsKeyId`` out: that
  is what the record says too (the key is absent). A key it names links to its KMS key record.
- ``LogExports``: the logs exported to CloudWatch; absent when it exports none, as in a template.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import read_call
from lakelint.sources.live.collector import Collector, LiveRecord, fields, provides
from lakelint.sources.live.regional import offered_in

SERVICE = "redshift-serverless"
NAMESPACE_TYPE = "AWS::RedshiftServerless::Namespace"
AWS_OWNED_KEY = "AWS_OWNED_KMS_KEY"

LIST_NAMESPACES = read_call(SERVICE, "ListNamespaces", "redshift-serverless:ListNamespaces")

# ListNamespaces field -> CloudFormation property, copied when set
_COPIED = (("adminUsername", "AdminUsername"), ("dbName", "DbName"), ("defaultIamRoleArn", "DefaultIamRoleArn"),
           ("iamRoles", "IamRoles"))


def namespace_props(namespace: dict) -> dict:
    props = {"NamespaceName": namespace["namespaceName"]}
    key = namespace.get("kmsKeyId")
    if key and key != AWS_OWNED_KEY:
        props["KmsKeyId"] = key
    exports = [e for e in namespace.get("logExports") or [] if e]
    if exports:
        props["LogExports"] = exports
    for field, prop in _COPIED:
        if namespace.get(field) not in (None, "", []):
            props[prop] = namespace[field]
    return props


def collect(ctx, region) -> list:
    if not offered_in(ctx, SERVICE, region):
        return []
    records = []
    for page in ctx.pages(LIST_NAMESPACES, region):
        for namespace in page.get("namespaces") or []:
            name = namespace["namespaceName"]
            records.append(LiveRecord(type=NAMESPACE_TYPE, name=name, props=namespace_props(namespace),
                                      arn=namespace.get("namespaceArn") or ctx.arn(
                                          SERVICE, region, f"namespace/{namespace.get('namespaceId', name)}")))
    return records


COLLECTOR = Collector(
    name="Redshift Serverless namespaces",
    types={NAMESPACE_TYPE: provides(LIST_NAMESPACES, fields(
        LIST_NAMESPACES, "NamespaceName", "KmsKeyId", "LogExports", *(prop for _, prop in _COPIED)))},
    collect=collect,
)
