"""The scratch-cluster helper itself: a cluster with a setting of ours starts, answers on its
own port with that setting, and is gone afterwards."""

from __future__ import annotations

import subprocess

import pytest

from tests.scratch_cluster import scratch_cluster

pytestmark = pytest.mark.postgres


def test_scratch_cluster_runs_with_our_settings_and_is_dropped() -> None:
    with scratch_cluster({"work_mem": "7MB"}) as cluster:
        assert cluster.psql("SHOW work_mem").strip() == "7MB"
        assert cluster.psql("SHOW port").strip() == str(cluster.port)
        name = cluster.name
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    assert name not in listed
