"""One writer at a time, whatever the Dagster instance starts beside it, on the one-machine deployment where a
lock collision once lost a user's backfill (`pipeline dev`'s shape: the default SQLite instance, the
multiprocess executor, a DuckDB warehouse, the real webserver and daemon).

Three times in a row, a UI backfill of six months over every asset runs while the daemon's sensors run, the
`source_freshness` schedule ticks every minute (each tick's run reads the warehouse through dbt), and a
second run of the daily job is launched beside it: every run succeeds, no process ever meets DuckDB's lock
error, and the marts equal `pipeline run`'s for the same months.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dagster_services import dagster_services, free_port
from support import make_workspace, marts_difference, published_marts

from pipeline.orchestration.instance import DAGSTER_YAML
from pipeline.simulator.testing import start_simulator

pytestmark = [pytest.mark.deployment, pytest.mark.timeout(2400)]

TENANTS = ["acme_ec", "tienda_sv", "contable_co", "inmobiliaria_co"]
MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
TODAY = datetime.now(ZoneInfo("America/Bogota")).date()
ROUNDS = 3
LOCK_ERROR = "Could not set lock on file"



@pytest.fixture(scope="module")
def one_machine(tmp_path_factory):
    root = tmp_path_factory.mktemp("one_machine")
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML)  # what `pipeline dev` prepares: SQLite, pools of one
    with start_simulator(seed=5, scale=0.3, today=TODAY) as simulator:
        workspace = make_workspace(root / "ui", simulator, TENANTS)
        env = {**workspace.env, "DAGSTER_HOME": str(home), "PIPELINE_DAILY_CRON": "* * * * *",
               "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true"}
        workspace.env.update(env)
        with dagster_services(env, free_port(), root) as services:
            services.graphql.set_schedule("daily", running=False)  # source_freshness stays on: every minute
            services.start_daemon()
            yield simulator, workspace, services


def test_backfills_beside_sensors_schedule_ticks_and_a_second_run_never_collide(one_machine, tmp_path):
    simulator, workspace, services = one_machine
    graphql = services.graphql
    second_run_tags = {"dagster/asset_partition_range_start": "2025-06", "dagster/asset_partition_range_end": "2025-06",
                       "pipeline/end": "2025-06-30", "pipeline/as_of": TODAY.isoformat()}
    for round_number in range(1, ROUNDS + 1):
        backfill_id = graphql.launch_backfill(MONTHS, graphql.every_asset())
        second = graphql.launch_run("daily_job", second_run_tags)
        status = graphql.wait_for_backfill(backfill_id)
        runs = services.wait_for_runs(lambda run, b=backfill_id, s=second:
                                      run["tags"].get("dagster/backfill") == b or run["runId"] == s)
        assert status == "COMPLETED_SUCCESS", (round_number, status, runs, services.tail())
        assert [run["status"] for run in runs] == ["SUCCESS"] * 2, (round_number, runs, services.tail())

    everything = services.wait_for_runs(lambda run: True)
    ticks = [run for run in everything if run["tags"].get("dagster/schedule_name") == "source_freshness"]
    assert ticks and {run["status"] for run in everything} == {"SUCCESS"}, (everything, services.tail())
    assert LOCK_ERROR not in services.tail(limit=None)
    for run in everything:
        assert LOCK_ERROR not in _messages(graphql, run["runId"]), run

    reference = make_workspace(tmp_path / "reference", simulator, TENANTS)
    result = reference.pipeline("run", "--start", "2025-01-01", "--end", "2025-06-30", "--as-of", TODAY.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    ui, cli = published_marts(workspace), published_marts(reference)
    assert ui == cli, marts_difference(ui, cli)



def _messages(graphql, run_id: str) -> str:
    data = graphql("query($id: ID!) { runOrError(runId: $id) { ... on Run { eventConnection(limit: 20000) { "
                   "events { ... on MessageEvent { message } } } } } }", id=run_id)
    return "\n".join(event.get("message") or "" for event in data["runOrError"]["eventConnection"]["events"])
