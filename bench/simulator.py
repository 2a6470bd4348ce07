"""The simulator as a subprocess on a free loopback port, its control interface, and a connections file
(the demo file re-pointed at that port) with the demo credentials as environment variables."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from pipeline.config import DEMO_CONNECTIONS, DEMO_ENV, read_env_file

REPO = Path(__file__).resolve().parents[1]
DEMO_HOST = "127.0.0.1:8765"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Simulator:
    """`pipeline simulate` in a child process; stopped on exit from the `with` block."""

    def __init__(self, scale: float, today: date, seed: int = 1, log_path: Path | None = None):
        self.scale, self.today, self.seed = scale, today, seed
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "pipeline.cli",
            "simulate",
            "--port",
            str(self.port),
            "--scale",
            str(self.scale),
            "--seed",
            str(self.seed),
            "--today",
            self.today.isoformat(),
            "--history-start",
            "2025-01-01",
        ]

    def __enter__(self) -> Simulator:
        log = open(self.log_path, "w") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(self.command(), cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        self._wait_healthy()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _wait_healthy(self, timeout_s: float = 180) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the simulator exited with status {self.process.returncode} (log: {self.log_path})"
                )
            try:
                if httpx.get(f"{self.url}/_control/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the simulator did not answer within {timeout_s:.0f} s")

    def control(self, method: str, path: str, body: Any = None, params: dict | None = None) -> Any:
        reply = httpx.request(method, f"{self.url}/_control/{path}", json=body, params=params, timeout=600)
        reply.raise_for_status()
        return reply.json() if reply.content else None

    def set_faults(self, faults: dict[str, Any]) -> None:
        if faults:
            self.control("PUT", "faults", faults)
        else:
            self.control("DELETE", "faults")

    def truth(self, source: str, tenant: str, entity: str, start: date, end: date) -> dict:
        return self.control(
            "GET",
            "truth",
            params={
                "source": source,
                "tenant": tenant,
                "entity": entity,
                "date_from": start.isoformat(),
                "date_to": end.isoformat(),
            },
        )

    def write_connections(self, path: Path) -> dict[str, str]:
        """The demo connections file pointed at this simulator; returns the env vars with the credentials."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DEMO_CONNECTIONS.read_text().replace(DEMO_HOST, f"127.0.0.1:{self.port}"))
        return read_env_file(DEMO_ENV)
