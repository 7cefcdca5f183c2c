"""A DocumentDB cluster whose cluster parameter group turns TLS off.

## What it does
Follows every `AWS::DocDB::DBCluster`'s `DBClusterParameterGroupName` to the
`AWS::DocDB::DBClusterParameterGroup` it names in the same template and checks that the group's
`Parameters.tls` is not `disabled` (`enabled`, `tls1.2+`, `tls1.3+` and `fips-140-3` keep TLS on).
Each `Fn::If` branch and allowed parameter value is checked, on the cluster's choice of group and on
the group's `tls` value. A group that is not in the template (other than a `default.*` group) cannot be
read and is reported as unverifiable.

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
from lakelint.core.propcheck import at_key, props_branches, text
from lakelint.core.values import MISSING, is_unresolved, show

KEY = "DBClusterParameterGroupName"
GROUP_TYPE = "AWS::DocDB::DBClusterParameterGroup"


@check(code="LL526", name="docdb-tls", severity="high",
       title="DocumentDB cluster parameter group turns TLS off",
       resource_types=["AWS::DocDB::DBCluster"], sources=["template", "live"],
       reads={"AWS::DocDB::DBClusterParameterGroup": ["Parameters"]})
def docdb_tls(cluster, ctx):
    groups = [r for r in (cluster.stack.resources if cluster.stack else []) if r.type == GROUP_TYPE]
    for branch in props_branches(cluster, KEY):
        values = branch.value
        name = values.get(KEY, MISSING)
        if name is MISSING:
            continue  # the default cluster parameter group: tls enabled
        group = _group_named(name, groups, cluster)
        if group is None:
            if isinstance(name, str) and not is_unresolved(name) and name.lower().startswith("default."):
                continue
            reason = f"it {name.reason}" if is_unresolved(name) else f"group {name} is not in this template"
            yield unknown(f"cannot verify TLS in the cluster parameter group: {reason}", cause=name if
                          is_unresolved(name) else None, branch=branch, at=at_key(values, KEY), key=KEY)
            continue
        for tls in group.branches("Parameters", "tls"):
            value = tls.value
            if is_unresolved(value):
                yield unknown(f"cannot verify tls in parameter group {group.name}: it {value.reason}", cause=value,
                              branch=tls if tls.label else branch, at=at_key(values, KEY), key=KEY)
            elif text(value) == "disabled":
                yield fail(f"parameter group {group.name} sets tls to {show(value)}: clients may connect without TLS",
                           branch=tls if tls.label else branch, at=at_key(values, KEY), key=KEY)


def _group_named(name, groups, cluster):
    """The parameter group a branch's value names: a Ref/GetAtt to it, or its literal Name."""
    if is_unresolved(name):
        for group in groups:
            if group.name in name.refs:
                return group
        return None
    if isinstance(name, str):
        for group in groups:
            written = group.props.get("Name") if isinstance(group.props, dict) else None
            if isinstance(written, str) and written.lower() == name.lower():
                return group
    return None
