"""Dagster as a data engineer deploys it beyond one machine (`make deployment-test`, also run by CI): the real
webserver and daemon on PostgreSQL storage (deploy/dagster.yaml), the Celery executor with a Redis broker and
two `dagster-celery` workers (each as on a host of its own), the warehouse on PostgreSQL, a simulator over
real HTTP.

- a UI backfill of 2025-01..2025-06 over every asset (the UI's own `launchPartitionBackfill`) is one run whose
  extraction steps run on the workers, and publishes the marts `pipeline run` publishes for the same window;
- `pipeline run` on the same instance shows in the UI while it runs, and a killed one shows as failed;
- the daily schedule ticks and its run succeeds;
- a failed run is posted to the webhook in PIPELINE_ALERT_WEBHOOK.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dagster_services import REPO, dagster_services, free_port, redis_broker, webhook_receiver
from support import make_workspace, marts_difference, published_marts

from pipeline.simulator.testing import start_simulator
from pipeline.sources import SOURCES

pytestmark = [pytest.mark.deployment, pytest.mark.timeout(1500)]

TENANTS = ["acme_ec", "tienda_sv", "contable_co", "inmobiliaria_co"]
WORKERS = ("worker_a", "worker_b")
MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
TODAY = datetime.now(ZoneInfo("America/Bogota")).date()  # the connections file's timezone



@pytest.fixture(scope="module")
def deployment(tmp_path_factory, postgres_server):
    """Services on PostgreSQL storage beside a simulator serving 2025-01 to today; yields what the tests need."""
    root = tmp_path_factory.mktemp("deployment")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    storage = postgres_server.create_database()
    with (start_simulator(seed=11, scale=0.3, today=TODAY) as simulator, webhook_receiver() as receiver,
          redis_broker(root / "redis") as broker):
        workspace = make_workspace(root / "ui", simulator, TENANTS,
                                   warehouse=postgres_server.url(postgres_server.create_database()))
        env = {**workspace.env, "DAGSTER_HOME": str(home), "DAGSTER_PG_HOST": "127.0.0.1",
               "DAGSTER_PG_PORT": str(postgres_server.port), "DAGSTER_PG_USER": "postgres", "DAGSTER_PG_PASSWORD": "",
               "DAGSTER_PG_DB": storage, "PIPELINE_DAILY_CRON": "* * * * *", "PIPELINE_ALERT_WEBHOOK": receiver.url,
               "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true", "PIPELINE_EXECUTOR": "celery",
               "PIPELINE_CELERY_BROKER": broker}
        workspace.env.update(env)
        with dagster_services(env, free_port(), root) as services:
            # Ticking every minute is for this test: stopped before the daemon starts, started when wanted. The
            # freshness policies are judged every minute too, by the daemon itself (no runs).
            for name in ("daily", "source_freshness"):
                services.graphql.set_schedule(name, running=False)
            for worker in WORKERS:
                services.start_celery_worker(worker)
            services.start_daemon()
            yield simulator, workspace, services, receiver, postgres_server



def test_ui_backfill_runs_its_extraction_on_the_celery_workers_and_publishes_pipeline_runs_marts(deployment, tmp_path):
    simulator, workspace, services, _, postgres_server = deployment
    graphql = services.graphql
    backfill_id = graphql.launch_backfill(MONTHS, graphql.every_asset())
    status = graphql.wait_for_backfill(backfill_id)
    runs = [run for run in graphql.runs() if run["tags"].get("dagster/backfill") == backfill_id]
    assert status == "COMPLETED_SUCCESS", (status, runs, services.tail())
    assert [run["status"] for run in runs] == ["SUCCESS"], runs

    workers = _celery_workers_by_step(graphql, runs[0]["runId"])
    extraction = {step for step in workers if not step.startswith(("raw__", "dbt_models", "serving__"))}
    assert len(extraction) >= 10 and all(workers[step] for step in extraction), workers
    assert {worker.split("@")[0] for names in workers.values() for worker in names} == set(WORKERS), workers

    reference = _reference_workspace(workspace, simulator, postgres_server, tmp_path)
    result = reference.pipeline("run", "--start", "2025-01-01", "--end", "2025-06-30", "--as-of", TODAY.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    ui, cli = published_marts(workspace), published_marts(reference)
    assert ui == cli, marts_difference(ui, cli)


def test_pipeline_run_shows_in_the_ui_while_it_runs_and_a_killed_one_as_failed(deployment, tmp_path):
    simulator, workspace, services, _, postgres_server = deployment
    graphql = services.graphql
    reference = _reference_workspace(workspace, simulator, postgres_server, tmp_path)
    window = ("--start", "2025-05-01", "--end", "2025-06-30", "--as-of", TODAY.isoformat())
    before = {run["runId"] for run in graphql.runs()}

    running = reference.start_pipeline("run", *window)
    live = _wait_for(lambda: [run for run in graphql.runs() if run["runId"] not in before
                              and run["status"] == "STARTED" and _steps_started(graphql, run["runId"])])
    assert live and live[0]["jobName"] == "daily_job", live
    assert running.poll() is None  # seen in the UI, steps and all, before the run ended
    out, _ = running.communicate(timeout=600)
    assert running.returncode == 0, out
    assert _status(graphql, live[0]["runId"]) == "SUCCESS"

    killed = reference.start_pipeline("run", *window)
    victim = _wait_for(lambda: [run for run in graphql.runs() if run["runId"] not in before | {live[0]["runId"]}
                                and run["status"] == "STARTED"])[0]
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    rerun = reference.pipeline("run", *window)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"run {victim['runId'][:8]} was killed before it ended: marked failed" in rerun.stdout
    assert _status(graphql, victim["runId"]) == "FAILURE"


def _reference_workspace(workspace, simulator, postgres_server, tmp_path):
    """`pipeline run` on the UI's instance (so it is recorded there), into a warehouse of its own."""
    reference = make_workspace(tmp_path / "reference", simulator, TENANTS,
                               warehouse=postgres_server.url(postgres_server.create_database()))
    reference.env.update({k: v for k, v in workspace.env.items() if k.startswith("DAGSTER_")})
    return reference


def _celery_workers_by_step(graphql, run_id: str) -> dict[str, set[str]]:
    """step key -> the Celery workers that executed it (the engine events dagster-celery writes)."""
    workers: dict[str, set[str]] = {}
    cursor = None
    while True:
        data = graphql("query($id: ID!, $after: String) { runOrError(runId: $id) { ... on Run { "
                       "eventConnection(afterCursor: $after, limit: 5000) { cursor hasMore events { __typename "
                       "... on EngineEvent { metadataEntries { label ... on TextMetadataEntry { text } } } } } } } }",
                       id=run_id, after=cursor)["runOrError"]["eventConnection"]
        for event in data["events"]:
            entries = {entry["label"]: entry.get("text") for entry in event.get("metadataEntries") or []}
            if entries.get("Celery worker"):
                for step in (entries.get("step_keys") or "").split(", "):
                    workers.setdefault(step, set()).add(entries["Celery worker"])
        if not data["hasMore"]:
            return workers
        cursor = data["cursor"]


def _steps_started(graphql, run_id: str) -> bool:
    data = graphql("query($id: ID!) { runOrError(runId: $id) { ... on Run { stepStats { status } } } }", id=run_id)
    return bool(data["runOrError"]["stepStats"])


def _status(graphql, run_id: str) -> str:
    return graphql("query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }", id=run_id)["runOrError"]["status"]


def _wait_for(found, timeout: float = 300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.5)
    raise TimeoutError("not seen in the UI in time")


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
    runs = services.wait_for_runs(lambda run: run["tags"].get("dagster/schedule_name") == "daily")
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
    run_id = services.graphql.launch_run("daily_job", {"dagster/partition": "2025-01", "pipeline/end": "not-a-date"},
                                         assets=[{"path": ["troyansys", "dashboard"]}])
    alert = receiver.wait_for(lambda body: body["pipeline"].get("run_id") == run_id, timeout=180)
    assert alert["pipeline"]["status"] == "failure" and run_id[:8] in alert["text"]
    assert "secret-token" not in services.tail()  # the webhook's URL is never logged


def test_an_asset_past_its_freshness_deadline_is_posted_to_the_webhook(deployment):
    """With the daily cron ticking every minute, an asset not materialized in the last minute before a tick is
    overdue: the freshness daemon judges its policy FAIL, and `alert_on_overdue_assets` posts it."""
    _, _, _, receiver, _ = deployment
    alert = receiver.wait_for(lambda body: body["pipeline"].get("status") == "overdue", timeout=300)
    overdue = alert["pipeline"]["assets"]
    assert overdue and all(asset == "serving/warehouse" or asset.split("/")[0] in SOURCES for asset in overdue), alert
    assert "missed their freshness deadline" in alert["text"]
