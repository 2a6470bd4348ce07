"""Dagster as a data engineer deploys it (`make deployment-test`, also run by CI): the real webserver and daemon
on PostgreSQL storage (deploy/dagster.yaml), the multiprocess executor, a simulator over real HTTP.

- a UI backfill of 2025-01..2025-06 over every asset (the UI's own `launchPartitionBackfill`) completes in at
  most two runs, none failed, and publishes the marts `pipeline run` publishes for the same window;
- `pipeline run` on the same instance shows up in the UI's run history;
- the daily schedule ticks and its run succeeds;
- a failed run is posted to the webhook in PIPELINE_ALERT_WEBHOOK.
"""

from __future__ import annotations

import shutil
import socket
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dagster_services import LOCATION, REPO, REPOSITORY, dagster_services, webhook_receiver
from support import make_workspace, marts_difference, published_marts

from pipeline.simulator.testing import start_simulator

pytestmark = [pytest.mark.deployment, pytest.mark.timeout(1500)]

TENANTS = ["acme_ec", "tienda_sv", "contable_co", "inmobiliaria_co"]
MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
TODAY = datetime.now(ZoneInfo("America/Bogota")).date()  # the connections file's timezone
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, postgres_server):
    """Services on PostgreSQL storage beside a simulator serving 2025-01 to today; yields what the tests need."""
    root = tmp_path_factory.mktemp("deployment")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    storage = postgres_server.create_database()
    with start_simulator(seed=11, scale=0.3, today=TODAY) as simulator, webhook_receiver() as receiver:
        workspace = make_workspace(root / "ui", simulator, TENANTS,
                                   warehouse=postgres_server.url(postgres_server.create_database()))
        env = {**workspace.env, "DAGSTER_HOME": str(home), "DAGSTER_PG_HOST": "127.0.0.1",
               "DAGSTER_PG_PORT": str(postgres_server.port), "DAGSTER_PG_USER": "postgres", "DAGSTER_PG_PASSWORD": "",
               "DAGSTER_PG_DB": storage, "PIPELINE_DAILY_CRON": "* * * * *", "PIPELINE_ALERT_WEBHOOK": receiver.url,
               "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true"}
        workspace.env.update(env)
        with dagster_services(env, _free_port(), root) as services:
            # Ticking every minute is for this test: stopped before the daemon starts, started when wanted.
            # The freshness sensor would judge a deadline every minute too, launching a check run each time.
            for name in ("daily", "source_freshness"):
                services.graphql.set_schedule(name, running=False)
            services.graphql.stop_sensor("freshness_checks_sensor")
            services.start_daemon()
            yield simulator, workspace, services, receiver, postgres_server


def _wait_for_backfill(graphql, backfill_id: str, timeout: float = 900) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = graphql("query($id: String!) { partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill "
                       "{ status } } }", id=backfill_id)
        status = data["partitionBackfillOrError"]["status"]
        if status not in ("REQUESTED", "CANCELING", "FAILING"):
            return status
        time.sleep(2)
    raise TimeoutError(f"backfill {backfill_id} still running")


def _wait_for_runs(services, predicate, timeout: float = 600) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = [run for run in services.graphql.runs() if predicate(run)]
        if runs and all(run["status"] in FINISHED for run in runs):
            return runs
        time.sleep(2)
    raise TimeoutError(f"runs did not finish: {runs}\n{services.tail()}")


def test_ui_backfill_is_at_most_two_runs_and_publishes_pipeline_runs_marts(deployment, tmp_path):
    simulator, workspace, services, _, postgres_server = deployment
    graphql = services.graphql
    nodes = graphql("{ assetNodes { assetKey { path } isMaterializable } }")["assetNodes"]
    every_asset = [{"path": node["assetKey"]["path"]} for node in nodes if node["isMaterializable"]]
    launched = graphql("mutation($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) { "
                       "__typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message } } }",
                       p={"partitionNames": MONTHS, "assetSelection": every_asset, "fromFailure": False})
    backfill_id = launched["launchPartitionBackfill"].get("backfillId")
    assert backfill_id, launched

    status = _wait_for_backfill(graphql, backfill_id)
    runs = [run for run in graphql.runs() if run["tags"].get("dagster/backfill") == backfill_id]
    assert status == "COMPLETED_SUCCESS", (status, runs, services.tail())
    assert 1 <= len(runs) <= 2 and {run["status"] for run in runs} == {"SUCCESS"}, runs

    reference = make_workspace(tmp_path / "reference", simulator, TENANTS,
                               warehouse=postgres_server.url(postgres_server.create_database()))
    reference.env["DAGSTER_HOME"] = workspace.env["DAGSTER_HOME"]  # the UI's instance: this run is recorded
    reference.env.update({k: v for k, v in workspace.env.items() if k.startswith("DAGSTER_PG_")})
    result = reference.pipeline("run", "--start", "2025-01-01", "--end", "2025-06-30", "--as-of", TODAY.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    ui, cli = published_marts(workspace), published_marts(reference)
    assert ui == cli, marts_difference(ui, cli)

    recorded = [run for run in graphql.runs() if run["tags"].get("pipeline/reuse_landed") == "true"]
    assert len(recorded) == 1 and recorded[0]["status"] == "SUCCESS" and recorded[0]["jobName"] == "daily_job"


def test_the_daily_schedule_ticks_and_its_run_succeeds(deployment):
    _, _, services, _, _ = deployment
    graphql = services.graphql
    graphql.set_schedule("daily", running=True)
    try:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and not [
                run for run in graphql.runs() if run["tags"].get("dagster/schedule_name") == "daily"]:
            time.sleep(2)
    finally:
        _stop_between_ticks(graphql, "daily")
    runs = _wait_for_runs(services, lambda run: run["tags"].get("dagster/schedule_name") == "daily")
    assert [run["status"] for run in runs] == ["SUCCESS"] * len(runs), (runs, services.tail())


def _stop_between_ticks(graphql, schedule: str) -> None:
    """The daemon writes a schedule's state back when a tick's evaluation ends (a few seconds after each
    minute here), which undoes a stop made during it: stop mid-minute, and make sure it held."""
    for _ in range(5):
        while not 20 <= datetime.now().second <= 45:
            time.sleep(1)
        graphql.set_schedule(schedule, running=False)
        time.sleep(20)
        if graphql.schedule_status(schedule) == "STOPPED":
            return
    raise AssertionError(f"the schedule {schedule} could not be stopped")


def test_a_failed_run_is_posted_to_the_webhook(deployment):
    _, _, services, receiver, _ = deployment
    launched = services.graphql(
        "mutation($p: ExecutionParams!) { launchRun(executionParams: $p) { __typename "
        "... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }",
        p={"selector": {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "jobName": "daily_job",
                        "assetSelection": [{"path": ["troyansys", "dashboard"]}]},
           "executionMetadata": {"tags": [{"key": "dagster/partition", "value": "2025-01"},
                                          {"key": "pipeline/end", "value": "not-a-date"}]}})
    run_id = launched["launchRun"]["run"]["runId"]
    alert = receiver.wait_for(lambda body: body["pipeline"].get("run_id") == run_id, timeout=180)
    assert alert["pipeline"]["status"] == "failure" and run_id[:8] in alert["text"]
    assert "secret-token" not in services.tail()  # the webhook's URL is never logged
