"""Redshift Serverless namespaces of one region, in ``AWS::RedshiftServerless::Namespace``'s shape.

``ListNamespaces`` gives everything the checks read, so one paginated listing per region is all:

- ``KmsKeyId``: the key the namespace names. Redshift Serverless reports ``AWS_OWNED_KMS_KEY`` for a
  namespace encrypted with a key AWS owns, which a template says by leaving ``KmsKeyId`` out: that
  is what the record says too (the key is absent). A key it names links to its KMS key record.
- ``LogExports``: the logs exported to CloudWatch; absent when it exports none, as in a template.
"""

from __future__ import annotations

from lakelint.sources.live.catalog import _call
from lakelint.sources.live.regional import arn, offered_in
from lakelint.sources.live.services import LiveRecord, ServiceCollector

SERVICE = "redshift-serverless"
NAMESPACE_TYPE = "AWS::RedshiftServerless::Namespace"
AWS_OWNED_KEY = "AWS_OWNED_KMS_KEY"

LIST_NAMESPACES = _call(SERVICE, "ListNamespaces", "redshift-serverless:ListNamespaces")

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


def collect(session, region) -> list:
    if not offered_in(session, SERVICE, region):
        return []
    records = []
    for page in session.pages(LIST_NAMESPACES, region):
        for namespace in page.get("namespaces") or []:
            name = namespace["namespaceName"]
            records.append(LiveRecord(type=NAMESPACE_TYPE, name=name, props=namespace_props(namespace),
                                      arn=namespace.get("namespaceArn") or arn(
                                          session, SERVICE, region, f"namespace/{namespace.get('namespaceId', name)}")))
    return records


COLLECTOR = ServiceCollector(
    name="Redshift Serverless namespaces",
    resource_types=(NAMESPACE_TYPE,),
    calls=(LIST_NAMESPACES,),
    collect=collect,
)
