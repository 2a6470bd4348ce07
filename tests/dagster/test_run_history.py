"""`pipeline run` on a live instance: a run whose process is gone is marked failed by the next one, a run
whose process lives is left alone."""

from __future__ import annotations

import subprocess
import sys

from dagster import DagsterInstance, DagsterRunStatus, job, op
from dagster._core.events import DagsterEvent, DagsterEventType

from pipeline.orchestration.run_history import (
    HOST_TAG,
    PID_TAG,
    PROCESS_STARTED_TAG,
    fail_killed_runs,
    process_tags,
)


@op
def nothing() -> None:
    pass


@job
def one_step():
    nothing()


def _started_run(instance: DagsterInstance, tags: dict[str, str]) -> str:
    run = instance.create_run_for_job(one_step, tags=tags)
    instance.run_storage.handle_run_event(run.run_id, DagsterEvent(DagsterEventType.RUN_START.value,
                                                                   job_name=run.job_name))
    return run.run_id


def test_a_run_whose_process_is_gone_is_marked_failed_and_a_live_one_is_not():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with DagsterInstance.ephemeral() as instance:
        mine = process_tags()
        killed = _started_run(instance, {**mine, PID_TAG: str(gone.pid), PROCESS_STARTED_TAG: "1"})
        alive = _started_run(instance, mine)
        elsewhere = _started_run(instance, {**mine, HOST_TAG: "another-host", PID_TAG: str(gone.pid)})

        assert fail_killed_runs(instance) == [killed]
        status = {run_id: instance.get_run_by_id(run_id).status for run_id in (killed, alive, elsewhere)}
    assert status == {killed: DagsterRunStatus.FAILURE, alive: DagsterRunStatus.STARTED,
                      elsewhere: DagsterRunStatus.STARTED}
