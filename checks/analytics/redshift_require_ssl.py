"""A Redshift parameter group that does not require SSL connections.

## What it does
Looks at every `AWS::Redshift::ClusterParameterGroup` and fails when its `Parameters` set
`require_ssl` to anything but true, or leave it out in the `redshift-1.0` family (whose default is
false). It also looks at every `AWS::Redshift::Cluster`: a cluster that names the AWS default group
`default.redshift-1.0` fails; a cluster that names a group defined in the same template is judged by
that group's finding; a group defined elsewhere cannot be seen and is reported as unverifiable.
Each `Fn::If` branch and allowed parameter value is checked.

**When the property is absent:** a cluster without `ClusterParameterGroupName` gets
`default.redshift-2.0`, which since January 2025 sets `require_ssl` to true, so it passes. In a custom
group, an absent `require_ssl` takes the family default: false for `redshift-1.0`, true for
`redshift-2.0`.

**Live:** the check reads the parameters of every group a cluster uses (`DescribeClusterParameters`,
which lists each parameter with its value in effect, defaults included). A group of your own is
judged once, on the group, as in a template. An AWS default group cannot be changed, so a cluster
that uses one whose `require_ssl` is false gets the finding itself: the fix is to give the cluster a
group of its own.

## Why it matters
Without `require_ssl`, SQL clients may connect in clear text, and credentials and query results cross
the network readable by anyone on the path. SSL only protects data when the server insists on it: a
client that forgets `sslmode=require` silently falls back.

## Example
```yaml
WarehouseParameters:
  Type: AWS::Redshift::ClusterParameterGroup
  Properties:
    Description: warehouse settings
    ParameterGroupFamily: redshift-1.0
    Parameters:
      - ParameterName: require_ssl
        ParameterValue: "false"      # LL605
```

## Fix
```yaml
WarehouseParameters:
  Type: AWS::Redshift::ClusterParameterGroup
  Properties:
    Description: warehouse settings
    ParameterGroupFamily: redshift-2.0
    Parameters:
      - ParameterName: require_ssl
        ParameterValue: "true"
```
With the AWS CLI (then reboot the cluster):
```sh
aws redshift modify-cluster-parameter-group --parameter-group-name warehouse-parameters \
  --parameters ParameterName=require_ssl,ParameterValue=true
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html
- https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-parameter-groups.html
- https://aws.amazon.com/blogs/big-data/amazon-redshift-enhances-security-by-changing-default-behavior-in-2025/
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshift-clusterparametergroup.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.propcheck import props_branches
from lakelint.core.values import MISSING, is_unresolved, key_pos_of, show, truth

FAMILY_DEFAULTS = {"redshift-1.0": False, "redshift-2.0": True}
DEFAULT_GROUPS = {f"default.{family}": value for family, value in FAMILY_DEFAULTS.items()}


@check(code="LL605", name="redshift-require-ssl", severity="high",
       title="Redshift parameter group does not set require_ssl to true",
       resource_types=["AWS::Redshift::ClusterParameterGroup", "AWS::Redshift::Cluster"],
       sources=["template", "live"])
def redshift_require_ssl(resource, ctx):
    if resource.source == "live":
        yield from (_live_cluster(resource) if resource.type == "AWS::Redshift::Cluster" else _live_group(resource))
    elif resource.type == "AWS::Redshift::Cluster":
        yield from _cluster(resource)
    else:
        yield from _group(resource)


def _is_default(name) -> bool:
    return isinstance(name, str) and name.strip().lower().startswith("default.")


def _live_group(group):
    """A group of the account's own: judged by its parameters, as in a template."""
    if not _is_default(group.name):
        yield from _group(group)


def _live_cluster(cluster):
    """A cluster on an AWS default group: judged by that group's parameters, read live."""
    for group in cluster.related("parameter_groups"):
        if not _is_default(group.name):
            continue
        for verdict in _group(group):
            if verdict.kind == "fail":
                verdict = fail(f"the cluster uses the AWS default parameter group {group.name}, whose "
                               f"{verdict.message}", key="ClusterParameterGroupName")
            else:
                verdict.branch, verdict.pos, verdict.key = None, None, "ClusterParameterGroupName"
            yield verdict


def _group(group):
    for branch in props_branches(group, "Parameters", "ParameterGroupFamily"):
        parameters = branch.value.get("Parameters", MISSING)
        if is_unresolved(parameters):
            yield unknown(f"cannot verify require_ssl: Parameters {parameters.reason}", cause=parameters,
                          branch=branch, key="Parameters")
            continue
        entry = _require_ssl(parameters)
        if entry is None:
            yield from _family_default(branch)
            continue
        value = entry.get("ParameterValue", MISSING)
        if is_unresolved(value):
            yield unknown(f"cannot verify require_ssl: its value {value.reason}", cause=value, branch=branch,
                          at=(entry, "ParameterValue"), key="Parameters.require_ssl")
        elif truth(value) is not True:
            yield fail(f"require_ssl is {show(value)}: clients may connect without SSL", branch=branch,
                       at=(entry, "ParameterValue"), key="Parameters.require_ssl")


def _require_ssl(parameters):
    for entry in parameters if isinstance(parameters, list) else ():
        name = entry.get("ParameterName") if isinstance(entry, dict) else None
        if isinstance(name, str) and name.strip().lower() == "require_ssl":
            return entry
    return None


def _family_default(branch):
    values = branch.value
    family = values.get("ParameterGroupFamily", MISSING)
    if is_unresolved(family):
        yield unknown(f"require_ssl is not set and ParameterGroupFamily {family.reason}", cause=family,
                      branch=branch, key="Parameters.require_ssl")
        return
    default = FAMILY_DEFAULTS.get(str(family).strip().lower())
    if default is True:
        return
    if default is False:
        yield fail(f"require_ssl is not set: family {show(family)} defaults to false", branch=branch,
                   at=key_pos_of(values, "Parameters") if "Parameters" in values else None, key="Parameters.require_ssl")
    else:
        yield unknown(f"require_ssl is not set and the default of family {show(family)} is not known",
                      branch=branch, key="Parameters.require_ssl")


def _cluster(cluster):
    groups = cluster.related("parameter_groups")
    group_names = {g.name for g in groups}
    declared = {g.props.get("ParameterGroupName") for g in groups
                if isinstance(g.props, dict) and isinstance(g.props.get("ParameterGroupName"), str)}
    for branch in cluster.branches("ClusterParameterGroupName"):
        name = branch.value
        if name is MISSING or name in (None, ""):
            continue  # default.redshift-2.0, which requires SSL
        if is_unresolved(name):
            if name.refs & group_names:
                continue  # the group in this template carries its own finding
            yield unknown(f"cannot verify require_ssl: ClusterParameterGroupName {name.reason}", cause=name,
                          branch=branch, key="ClusterParameterGroupName")
            continue
        if name in declared:
            continue
        default = DEFAULT_GROUPS.get(str(name).strip().lower())
        if default is True:
            continue
        if default is False:
            yield fail(f"the cluster uses {name}, whose require_ssl is false", branch=branch,
                       key="ClusterParameterGroupName")
        else:
            yield unknown(f"cannot verify require_ssl: parameter group {name} is not defined in this template",
                          branch=branch, key="ClusterParameterGroupName")
