"""Every `pipeline run` in the Dagster UI's history, at a cost that does not dominate the run.

On a PostgreSQL-backed instance (deploy/dagster.yaml) the run executes on DAGSTER_HOME's instance itself: the
UI shows it, its steps and its logs while it runs. Its host and process are tags, so a run whose process was
killed is marked failed by the next `pipeline run` on that host (`fail_killed_runs`), not left "started".

On the default SQLite instance, Dagster writes each event in its own transactions: about 15 ms an event, 8 s
of a 16 s rerun that changed nothing (bench/results). There the run executes on an in-memory instance and,
when it ends, its run record, snapshots and events are copied into DAGSTER_HOME's instance, in one
transaction per database file: about 2 ms an event. What that gives up: the UI shows the run once it has
ended, and a run killed with SIGKILL is not recorded (its pages and marts are handled as any killed run's).
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator, Sequence
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.debug import DebugRunPayload
from dagster._core.events import EVENT_TYPE_TO_PIPELINE_RUN_STATUS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log import ConsolidatedSqliteEventLogStorage, SqliteEventLogStorage
from dagster._serdes import ConfigurableClassData
from dagster._time import datetime_from_timestamp
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from pipeline.orchestration.instance import INSTANCE_SETTINGS

HOST_TAG = "pipeline/host"
PID_TAG = "pipeline/pid"
PROCESS_STARTED_TAG = "pipeline/process_started"  # with the pid: a pid the system gave to another process since
STATEMENT_TIMEOUT_MS = 60_000
POOL_OVERFLOW = 8  # connections beyond the pooled one: extraction threads log (and so write events) at once


def run_instance() -> DagsterInstance:
    """Where `pipeline run` executes when it is copied afterwards: in memory, with the settings of DAGSTER_HOME's
    dagster.yaml that matter while running (the extractor's log lines captured into the run's log)."""
    return DagsterInstance.ephemeral(settings=INSTANCE_SETTINGS)


def records_live(instance: DagsterInstance) -> bool:
    """True when the instance's event log takes events as they happen at little cost (not SQLite's)."""
    return not isinstance(instance.event_log_storage, SqliteEventLogStorage | ConsolidatedSqliteEventLogStorage)


def for_one_long_run(instance: DagsterInstance) -> DagsterInstance:
    """The same instance (storage, settings, pools) set up for one run in this process that writes its events
    as they happen:
    - without capturing each step's stdout and stderr to files: the default capture starts two `tail` and two
      Python watcher processes per step (its events and log lines are recorded all the same; the terminal
      shows its output);
    - with pooled connections: dagster-postgres opens a connection per statement by default (NullPool),
      several per event, unless it is set up as the webserver's is."""
    quiet = ConfigurableClassData("dagster._core.storage.noop_compute_log_manager", "NoOpComputeLogManager", "{}")
    dedicated = DagsterInstance.from_ref(instance.get_ref()._replace(compute_logs_data=quiet))
    dedicated.optimize_for_webserver(statement_timeout=STATEMENT_TIMEOUT_MS, pool_recycle=3600,
                                     max_overflow=POOL_OVERFLOW)
    return dedicated


def process_tags() -> dict[str, str]:
    """This process, as tags of the run it executes."""
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid()),
            PROCESS_STARTED_TAG: _process_started(os.getpid()) or ""}


def fail_killed_runs(instance: DagsterInstance) -> list[str]:
    """Mark failed every run this host's `pipeline run` started whose process is gone (killed, or its host
    rebooted), and free the pool slots it held; returns their run ids."""
    host = socket.gethostname()
    runs = instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING],
                                        tags={HOST_TAG: host}))
    failed = []
    for run in runs:
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and _process_started(int(pid)) == run.tags.get(PROCESS_STARTED_TAG):
            continue  # still running
        instance.report_run_failed(run, f"the process that ran it (pid {pid} on {host}) is gone: killed, or its "
                                        "host restarted; the next run repeats what it did not finish")
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        failed.append(run.run_id)
    return failed


def _process_started(pid: int) -> str | None:
    """When the process started, in clock ticks since boot (Linux /proc); None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def record_run(source: DagsterInstance, run_id: str, target: DagsterInstance) -> None:
    """Copy one finished run (record, job and plan snapshots, events) from `source` into `target`."""
    run = source.get_run_by_id(run_id)
    if run is None or target.has_run(run_id):
        return
    payload = DebugRunPayload.build(source, run)
    if run.execution_plan_snapshot_id and not target.has_snapshot(run.execution_plan_snapshot_id):
        target.add_snapshot(payload.execution_plan_snapshot)
    if run.job_snapshot_id and not target.has_snapshot(run.job_snapshot_id):
        target.add_snapshot(payload.job_snapshot)
    target.add_run(run)
    _store_events(target, payload.event_list)
    for event in payload.event_list:  # start and end times, as live runs get them
        if event.dagster_event and event.dagster_event.event_type in EVENT_TYPE_TO_PIPELINE_RUN_STATUS:
            target.run_storage.handle_run_event(run_id, event.dagster_event, datetime_from_timestamp(event.timestamp))


def _store_events(target: DagsterInstance, events: Sequence[EventLogEntry]) -> None:
    storage = target.event_log_storage
    batch = _one_transaction_per_shard(storage) if type(storage) is SqliteEventLogStorage else contextlib.nullcontext()
    with batch:
        for event in events:
            storage.store_event(event)


@contextlib.contextmanager
def _one_transaction_per_shard(storage: SqliteEventLogStorage) -> Iterator[None]:
    """Inside, every write of `storage` goes through one connection per database file (the run's, the index),
    each in one transaction committed at the end. Replaces the storage's `_connect`, which opens, commits and
    disposes an engine per statement; pinned to the Dagster minor version in pyproject.toml."""
    connections = {}
    with contextlib.ExitStack() as stack:

        @contextlib.contextmanager
        def shared(shard: str) -> Iterator:
            if shard not in connections:
                engine = create_engine(storage.conn_string_for_shard(shard), poolclass=NullPool,
                                       connect_args={"timeout": 30})
                if shard not in storage._initialized_dbs:
                    storage._initdb(engine)
                    storage._initialized_dbs.add(shard)
                connection = stack.enter_context(engine.connect())
                stack.enter_context(connection.begin())
                connections[shard] = connection
            yield connections[shard]

        storage._connect = shared  # type: ignore[method-assign]
        try:
            yield
        finally:
            del storage._connect
