"""The real Dagster webserver, daemon and Celery workers, driven through the UI's own GraphQL API, a Redis
broker (scripts/redis-server), and a local HTTP receiver standing in for the alert webhook."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
LOCATION = "pipeline.orchestration.code_location"
REPOSITORY = "__repository__"
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class GraphQL:
    url: str

    def __call__(self, query: str, **variables) -> dict:
        response = httpx.post(self.url, json={"query": query, "variables": variables}, timeout=60)
        response.raise_for_status()
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def wait_until_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                data = self("{ workspaceOrError { ... on Workspace { locationEntries { name "
                            "locationOrLoadError { __typename ... on PythonError { message } } } } } }")
                entries = data["workspaceOrError"]["locationEntries"]
                if entries and entries[0]["locationOrLoadError"]:
                    loaded = entries[0]["locationOrLoadError"]
                    assert loaded["__typename"] == "RepositoryLocation", loaded
                    return
            time.sleep(1)
        raise TimeoutError("the Dagster webserver did not load the code location")

    def schedule_selector(self, name: str) -> dict:
        return {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "scheduleName": name}

    def schedule_status(self, name: str) -> str:
        data = self("query($s: ScheduleSelector!) { scheduleOrError(scheduleSelector: $s) { ... on Schedule { "
                    "scheduleState { status } } } }", s=self.schedule_selector(name))
        return data["scheduleOrError"]["scheduleState"]["status"]

    def set_schedule(self, name: str, running: bool) -> None:
        if running:
            data = self("mutation($s: ScheduleSelector!) { startSchedule(scheduleSelector: $s) { __typename "
                        "... on PythonError { message } } }", s=self.schedule_selector(name))
            assert data["startSchedule"]["__typename"] == "ScheduleStateResult", data
            return
        state = self("query($s: ScheduleSelector!) { scheduleOrError(scheduleSelector: $s) { ... on Schedule { "
                     "scheduleState { id selectorId } } } }", s=self.schedule_selector(name))
        ids = state["scheduleOrError"]["scheduleState"]
        data = self("mutation($o: String, $s: String) { stopRunningSchedule(scheduleOriginId: $o, "
                    "scheduleSelectorId: $s) { __typename ... on PythonError { message } } }",
                    o=ids["id"], s=ids["selectorId"])
        assert data["stopRunningSchedule"]["__typename"] == "ScheduleStateResult", data

    def stop_sensor(self, name: str) -> None:
        selector = {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "sensorName": name}
        state = self("query($s: SensorSelector!) { sensorOrError(sensorSelector: $s) { ... on Sensor { "
                     "sensorState { id selectorId } } } }", s=selector)
        ids = state["sensorOrError"]["sensorState"]
        data = self("mutation($o: String, $s: String) { stopSensor(jobOriginId: $o, jobSelectorId: $s) { "
                    "__typename ... on PythonError { message } } }", o=ids["id"], s=ids["selectorId"])
        assert data["stopSensor"]["__typename"] == "StopSensorMutationResult", data

    def every_asset(self) -> list[dict]:
        nodes = self("{ assetNodes { assetKey { path } isMaterializable } }")["assetNodes"]
        return [{"path": node["assetKey"]["path"]} for node in nodes if node["isMaterializable"]]

    def launch_backfill(self, months: list[str], assets: list[dict]) -> str:
        """What the UI's "Materialize all" over a range of partitions sends."""
        launched = self("mutation($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) { "
                        "__typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message } } }",
                        p={"partitionNames": months, "assetSelection": assets, "fromFailure": False})
        backfill_id = launched["launchPartitionBackfill"].get("backfillId")
        assert backfill_id, launched
        return backfill_id

    def wait_for_backfill(self, backfill_id: str, timeout: float = 900) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = self("query($id: String!) { partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill "
                        "{ status } } }", id=backfill_id)
            status = data["partitionBackfillOrError"]["status"]
            if status not in ("REQUESTED", "CANCELING", "FAILING"):
                return status
            time.sleep(2)
        raise TimeoutError(f"backfill {backfill_id} still running")

    def launch_run(self, job: str, tags: dict[str, str], assets: list[dict] | None = None) -> str:
        selector = {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "jobName": job}
        if assets is not None:
            selector["assetSelection"] = assets
        launched = self("mutation($p: ExecutionParams!) { launchRun(executionParams: $p) { __typename "
                        "... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }",
                        p={"selector": selector, "executionMetadata": {
                            "tags": [{"key": key, "value": value} for key, value in tags.items()]}})
        assert launched["launchRun"]["__typename"] == "LaunchRunSuccess", launched
        return launched["launchRun"]["run"]["runId"]

    def runs(self) -> list[dict]:
        data = self("{ runsOrError(limit: 200) { ... on Runs { results { runId jobName status "
                    "tags { key value } } } } }")
        return [{**run, "tags": {t["key"]: t["value"] for t in run["tags"]}} for run in data["runsOrError"]["results"]]


@dataclass
class Services:
    graphql: GraphQL
    env: dict[str, str]
    log_dir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self, name: str, *arguments: str) -> None:
        log = (self.log_dir / f"{name}.log").open("w")
        command = [str(Path(sys.executable).parent / name), *arguments, "-w", "workspace.yaml"]
        self.processes.append(subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True))

    def start_daemon(self) -> None:
        self.start("dagster-daemon", "run")

    def start_celery_worker(self, name: str) -> None:
        """A worker as on another host: its own process, the deployment's environment, one step at a time."""
        log = (self.log_dir / f"celery-{name}.log").open("w")
        bin_dir = Path(sys.executable).parent  # `dagster-celery` starts `celery` from PATH
        command = [str(bin_dir / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app",
                   "-y", str(REPO / "deploy" / "celery.yaml"), "-n", name, "--", "--concurrency=1"]
        env = {**self.env, "PATH": f"{bin_dir}{os.pathsep}{self.env.get('PATH', '')}"}
        self.processes.append(subprocess.Popen(command, cwd=REPO, env=env, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True))

    def wait_for_runs(self, predicate, timeout: float = 900) -> list[dict]:
        """The runs `predicate` picks, once there is one and every one of them has finished."""
        deadline = time.monotonic() + timeout
        runs: list[dict] = []
        while time.monotonic() < deadline:
            runs = [run for run in self.graphql.runs() if predicate(run)]
            if runs and all(run["status"] in FINISHED for run in runs):
                return runs
            time.sleep(2)
        raise TimeoutError(f"runs did not finish: {runs}\n{self.tail()}")

    def tail(self, limit: int | None = 3000) -> str:
        """The end of every service's log (all of it with limit=None)."""
        return "\n".join(f"--- {log.name}\n" + log.read_text(errors="replace")[-(limit or 0):]
                         for log in sorted(self.log_dir.glob("*.log")))

    def stop(self) -> None:
        """Each service with what it started (code servers, run workers): one process group each."""
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def dagster_services(env: dict[str, str], port: int, log_dir: Path) -> Iterator[Services]:
    """The webserver first (so schedules can be stopped before any daemon ticks them); the test starts the
    daemon with `start_daemon()`."""
    services = Services(GraphQL(f"http://127.0.0.1:{port}/graphql"), env, log_dir)
    services.start("dagster-webserver", "-h", "127.0.0.1", "-p", str(port))
    try:
        services.graphql.wait_until_up()
        yield services
    finally:
        services.stop()


@contextlib.contextmanager
def redis_broker(folder: Path) -> Iterator[str]:
    """A Redis server on loopback (Debian's redis-server, installed and started by the project's scripts)."""
    subprocess.run([str(REPO / "scripts/system-packages"), "redis"], check=True)
    port = free_port()
    subprocess.run([str(REPO / "scripts/redis-server"), "start", str(folder), str(port)], check=True)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        subprocess.run([str(REPO / "scripts/redis-server"), "stop", str(folder)], check=False)


@dataclass
class Receiver:
    """A local webhook: every POSTed JSON body, in order."""

    url: str
    bodies: list[dict]

    def wait_for(self, predicate, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body in list(self.bodies):
                if predicate(body):
                    return body
            time.sleep(0.5)
        raise TimeoutError(f"no matching alert in {self.bodies}")


@contextlib.contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    bodies: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_port}/hook/secret-token", bodies)
    finally:
        server.shutdown()
