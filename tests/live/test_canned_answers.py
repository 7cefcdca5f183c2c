"""The scenario helper can answer APIs moto does not serve, success and failure alike."""

from lakelint.sources.live.catalog import read_call as _call
def test_canned_answers_and_errors_reach_the_session(mocked_aws, live_session):
    mocked_aws.answer("docdb", "DescribeDBClusters", {"DBClusters": [{"DBClusterIdentifier": "x"}]})
    s = live_session(); s.on_client.append(mocked_aws.install_answers)
    call = _call("docdb", "DescribeDBClusters", "rds:DescribeDBClusters")
    pages = list(s.pages(call, "us-east-1"))
    assert pages[0]["DBClusters"][0]["DBClusterIdentifier"] == "x"
    mocked_aws.answer_error("docdb", "DescribeDBClusterParameters", "AccessDeniedException", 403)
    s2 = live_session(); s2.on_client.append(mocked_aws.install_answers)
    import pytest
    from lakelint.sources.live.faults import Fault
    with pytest.raises(Fault) as e:
        s2.read(_call("docdb", "DescribeDBClusterParameters", "rds:DescribeDBClusterParameters"), "us-east-1", DBClusterParameterGroupName="p")
    assert e.value.kind == "access-denied"
