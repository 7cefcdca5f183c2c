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
from lakelint.core.reading import known, read, read_together
from lakelint.core.values import MISSING, key_pos_of, show, truth

CLUSTER = "AWS::Redshift::Cluster"
GROUP = "AWS::Redshift::ClusterParameterGroup"
GROUP_NAME = "ClusterParameterGroupName"
SSL = "Parameters.require_ssl"
FAMILY_DEFAULTS = {"redshift-1.0": False, "redshift-2.0": True}
DEFAULT_GROUPS = {f"default.{family}": value for family, value in FAMILY_DEFAULTS.items()}


@check(code="LL605", name="redshift-require-ssl", severity="high",
       title="Redshift parameter group does not set require_ssl to true",
       resource_types=[GROUP, CLUSTER], sources=["template", "live"],
       reads={GROUP: ["ParameterGroupName", "ParameterGroupFamily", "Parameters"], CLUSTER: [GROUP_NAME]})
def redshift_require_ssl(resource, ctx):
    if resource.source == "live":
        yield from (_live_cluster(resource) if resource.type == CLUSTER else _live_group(resource))
    elif resource.type == CLUSTER:
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
    """A cluster on an AWS default group: judged by that group's parameters, read live. The finding is
    the cluster's (an AWS default group cannot be changed: the fix is a group of the cluster's own)."""
    for group in cluster.related("parameter_groups"):
        if _is_default(group.name):
            yield from _group(group, cluster=cluster)


def _group(group, *, cluster=None):
    """require_ssl of ``group`` in each branch. ``cluster``: the cluster judged through the AWS default
    group it uses (live), which the findings then name."""
    of = f" of the AWS default parameter group {group.name}" if cluster is not None else ""
    for values in read_together(group, "Parameters", "ParameterGroupFamily"):
        parameters = values.get("Parameters", MISSING)
        if parameters is not None and known(parameters, f"Parameters{of}", key=_key(cluster, "Parameters")) is None:
            continue
        entry = _require_ssl(parameters)
        if entry is None:
            yield from _family_default(values, group, cluster)
            continue
        value = entry.get("ParameterValue", MISSING)
        if value is not None and known(value, f"require_ssl{of}", at=(entry, "ParameterValue"),
                                       key=_key(cluster, SSL)) is None:
            continue
        if truth(value) is not True:
            yield _fail(cluster, group, f"require_ssl is {show(value)}: clients may connect without SSL",
                        at=(entry, "ParameterValue"))


def _require_ssl(parameters):
    for entry in parameters if isinstance(parameters, list) else ():
        name = entry.get("ParameterName") if isinstance(entry, dict) else None
        if isinstance(name, str) and name.strip().lower() == "require_ssl":
            return entry
    return None


def _family_default(values, group, cluster):
    family = values.get("ParameterGroupFamily", MISSING)
    if family is not None and known(family, "ParameterGroupFamily (require_ssl is not set, so its default applies)",
                                    key=_key(cluster, SSL)) is None:
        return
    default = FAMILY_DEFAULTS.get(str(family).strip().lower())
    if default is True:
        return
    if default is False:
        yield _fail(cluster, group, f"require_ssl is not set: family {show(family)} defaults to false",
                    at=key_pos_of(values, "Parameters") if "Parameters" in values else None)
    else:
        yield unknown(f"require_ssl is not set and the default of family {show(family)} is not known",
                      key=_key(cluster, SSL))


def _fail(cluster, group, message, *, at):
    if cluster is None:
        return fail(message, at=at, key=SSL)
    return fail(f"the cluster uses the AWS default parameter group {group.name}, whose {message}", key=GROUP_NAME)


def _key(cluster, key):
    """A finding on a cluster judged through its group points at the cluster's group name."""
    return key if cluster is None else GROUP_NAME


def _cluster(cluster):
    groups = cluster.related("parameter_groups")
    group_names = {g.name for g in groups}
    declared = {g.props.get("ParameterGroupName") for g in groups
                if isinstance(g.props, dict) and isinstance(g.props.get("ParameterGroupName"), str)}
    for name in read(cluster, GROUP_NAME, presence=True):
        if name is MISSING or name in (None, ""):
            continue  # default.redshift-2.0, which requires SSL
        if set(getattr(name, "refs", ())) & group_names:
            continue  # the group in this template carries its own finding
        if known(name, GROUP_NAME) is None or name in declared:
            continue
        default = DEFAULT_GROUPS.get(str(name).strip().lower())
        if default is True:
            continue
        if default is False:
            yield fail(f"the cluster uses {show(name)}, whose require_ssl is false", key=GROUP_NAME)
        else:
            yield unknown(f"cannot verify require_ssl: parameter group {show(name)} is not defined in this template",
                          key=GROUP_NAME)
