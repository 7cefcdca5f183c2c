"""A DocumentDB cluster whose cluster parameter group turns TLS off.

## What it does
Follows every `AWS::DocDB::DBCluster`'s `DBClusterParameterGroupName` to the
`AWS::DocDB::DBClusterParameterGroup` it names in the same template and checks that the group's
`Parameters.tls` is not `disabled` (`enabled`, `tls1.2+`, `tls1.3+` and `fips-140-3` keep TLS on).
Each `Fn::If` branch and allowed parameter value is checked, on the cluster's choice of group and on
the group's `tls` value. The finding is the cluster's and points at the group's `tls:`, where the fix
goes (each cluster that uses the group has its own finding there). A group that is not in the template
(other than a `default.*` group) cannot be read and is reported as unverifiable, at the cluster's
`DBClusterParameterGroupName`.

Live, every cluster names its group; a custom group's `tls` is read with
`DescribeDBClusterParameters` (a default group keeps `tls` enabled and cannot be changed).

**When the property is absent:** a cluster without `DBClusterParameterGroupName` uses the default
cluster parameter group, where `tls` is `enabled`; a group without a `tls` parameter keeps that default.
Both pass.

## Why it matters
With TLS off, clients may connect in clear text and credentials and documents cross the network
unencrypted, including the VPC traffic of ingestion jobs reading from the cluster. TLS is the default
precisely so that turning it off is a visible, deliberate act.

## Example
```yaml
CatalogParams:
  Type: AWS::DocDB::DBClusterParameterGroup
  Properties:
    Family: docdb5.0
    Description: catalog
    Parameters:
      tls: disabled        # LL526
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    DBClusterParameterGroupName: !Ref CatalogParams
```

## Fix
```yaml
CatalogParams:
  Type: AWS::DocDB::DBClusterParameterGroup
  Properties:
    Family: docdb5.0
    Description: catalog
    Parameters:
      tls: enabled
```
With the AWS CLI (then reboot the instances to apply the static parameter):
```sh
aws docdb modify-db-cluster-parameter-group --db-cluster-parameter-group-name catalog-params \
  --parameters ParameterName=tls,ParameterValue=enabled,ApplyMethod=pending-reboot
```

## References
- https://docs.aws.amazon.com/documentdb/latest/developerguide/security.encryption.ssl.html
- https://docs.aws.amazon.com/documentdb/latest/developerguide/cluster_parameter_groups-list_of_parameters.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-docdb-dbclusterparametergroup.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.reading import known, read, read_together
from lakelint.core.values import MISSING, dig, key_pos_of, show

from ._databases import text, where

CLUSTER_TYPE = "AWS::DocDB::DBCluster"
GROUP_TYPE = "AWS::DocDB::DBClusterParameterGroup"
KEY = "DBClusterParameterGroupName"


@check(code="LL526", name="docdb-tls", severity="high",
       title="DocumentDB cluster parameter group turns TLS off",
       resource_types=[CLUSTER_TYPE], sources=["template", "live"],
       reads={CLUSTER_TYPE: [KEY], GROUP_TYPE: ["Name", "Parameters"]})
def docdb_tls(cluster, ctx):
    groups = cluster.stack.of_type(GROUP_TYPE) if cluster.stack else []
    for values in read_together(cluster, KEY):
        name = values.get(KEY, MISSING)
        if name is MISSING:
            continue  # the default cluster parameter group: tls enabled
        group = _group_named(name, groups)
        if group is None:
            yield from _not_found(name, values)
            continue
        for parameters in read(group, "Parameters", presence=True):
            # the finding points at the group's `tls:`, where the fix goes
            at = key_pos_of(parameters, "tls")
            tls = known(dig(parameters, "tls"), f"tls in parameter group {group.name}", at=at, key=KEY)
            if text(tls) == "disabled":
                yield fail(f"parameter group {group.name} sets tls to {show(tls)}: clients may connect without TLS",
                           at=at, key=KEY)


def _not_found(name, values):
    """A group this template (or account) does not hold: a ``default.*`` group keeps TLS on; any other
    cannot be read."""
    if (text(name) or "").startswith("default."):
        return
    if known(name, "TLS in the cluster parameter group", at=where(values, KEY), key=KEY) is not None:
        yield unknown(f"cannot verify TLS in the cluster parameter group: group {show(name)} is not in this "
                      f"template", at=where(values, KEY), key=KEY)


def _group_named(name, groups):
    """The parameter group a branch's value names: a Ref/GetAtt to it, or its literal Name."""
    referenced = getattr(name, "refs", ())  # a Ref or GetAtt of a group of the template
    for group in groups:
        if group.name in referenced:
            return group
    if text(name) is not None:
        for group in groups:
            written = group.props.get("Name") if isinstance(group.props, dict) else None
            if text(written) == text(name):
                return group
    return None
