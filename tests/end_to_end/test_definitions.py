"""The one Definitions object: names, lineage from `source/endpoint` to the marts, schedules, pools."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dagster import AssetKey, DefaultScheduleStatus
from dagster._core.definitions.freshness import CronFreshnessPolicy

from pipeline.orchestration.definitions import build_definitions
from pipeline.sources import load_settings

pytestmark = pytest.mark.xdist_group("dbt_parse")


@pytest.fixture(scope="module")
def graph():
    defs = build_definitions(load_settings())
    return defs, defs.resolve_asset_graph()


def test_extraction_assets_are_named_source_slash_endpoint(graph):
    _, assets = graph
    keys = {key.to_user_string() for key in assets.get_all_asset_keys()}
    assert {"troyansys/sales", "troyansys/inventory", "smartpyme/sales", "smartpyme/sales_summary",
            "serpi/documents", "serpi/document_types", "arrendasoft/invoices"} <= keys
    assert {"raw/smartpyme__sales", "marts/fct_sales", "marts/rpt_reconciliation", "serving/warehouse"} <= keys


def test_lineage_runs_from_extraction_through_dbt_to_the_serving_copy(graph):
    _, assets = graph
    downstream = assets.get(AssetKey(["smartpyme", "sales"])).child_keys
    assert AssetKey(["raw", "smartpyme__sales"]) in downstream
    ancestors = assets.upstream_key_iterator(AssetKey(["marts", "fct_sales"]))
    assert AssetKey(["smartpyme", "sales"]) in set(ancestors)
    assert AssetKey(["marts", "fct_sales"]) in assets.get(AssetKey(["serving", "warehouse"])).parent_keys


def test_every_asset_shares_one_monthly_partitioning_with_single_run_backfills(graph):
    """A UI backfill of any months over every asset is then one run (Dagster runs differently partitioned
    assets apart: one run per dbt subset, as soon as its parents are done)."""
    _, assets = graph
    sales = assets.get(AssetKey(["smartpyme", "sales"]))
    assert sales.partitions_def.get_first_partition_key() == "2025-01"
    assert sales.partitions_def.timezone == "America/Bogota"  # the connections file's, not UTC
    for key in assets.materializable_asset_keys:
        node = assets.get(key)
        assert node.partitions_def == sales.partitions_def, key
        assert node.backfill_policy.max_partitions_per_run is None, key  # single run


def test_freshness_policies_alerts_and_the_daily_job_leaves_the_source_check_out(graph):
    """Dagster's freshness daemon judges the policies (no check runs beside the pipeline's); the source check
    runs on its own schedule at the deadline."""
    defs, assets = graph
    for name in ("serving/warehouse", "smartpyme/sales"):
        policy = assets.get(AssetKey.from_user_string(name)).freshness_policy
        assert isinstance(policy, CronFreshnessPolicy), name
        assert (policy.deadline_cron, policy.lower_bound_delta, policy.timezone) == (
            "0 6 * * *", timedelta(hours=5), "America/Bogota")
    assert assets.get(AssetKey(["raw", "smartpyme__sales"])).freshness_policy is None
    checks = {(key.asset_key.to_user_string(), key.name) for key in assets.asset_check_keys}
    assert ("raw/smartpyme__sales", "extracted_within_26_hours") in checks
    assert not any(name == "freshness_check" for _, name in checks)
    assert {s.name for s in defs.sensors} == {"alert_on_overdue_assets", "alert_on_run_failure",
                                              "alert_on_failed_checks"}
    assert defs.get_schedule_def("source_freshness").cron_schedule == "0 6 * * *"
    daily = defs.resolve_job_def("daily_job")
    selected = {key.name for key in daily.asset_layer.asset_graph.asset_check_keys}
    assert "extracted_within_26_hours" not in selected


def test_warehouse_writers_share_one_pool_and_serpi_has_its_own(graph):
    _, assets = graph
    assert assets.get(AssetKey(["raw", "smartpyme__sales"])).pools == {"warehouse"}
    assert assets.get(AssetKey(["marts", "fct_sales"])).pools == {"warehouse"}
    assert assets.get(AssetKey(["serpi", "documents"])).pools == {"serpi"}
    assert not assets.get(AssetKey(["smartpyme", "sales"])).pools


def test_daily_schedule_runs_by_default_and_serpi_schedule_is_off(graph):
    defs, _ = graph
    daily = defs.get_schedule_def("daily")
    serpi = defs.get_schedule_def("serpi_frequent")
    assert daily.default_status == DefaultScheduleStatus.RUNNING
    assert serpi.default_status == DefaultScheduleStatus.STOPPED
    assert serpi.cron_schedule == "*/5 * * * *"


def test_dbt_tests_are_asset_checks(graph):
    _, assets = graph
    checks = {key.name for key in assets.asset_check_keys}
    assert any(name.startswith("mart_conventions") for name in checks)
    assert "landed_matches_reported" in checks
