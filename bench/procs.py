"""Subprocesses measured from outside: wall time and the peak resident memory of the whole process tree
(polled from /proc, summing every descendant, since dbt and Dagster start children of their own)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
POLL_S = 0.1


@dataclass
class Finished:
    command: list[str]
    returncode: int
    wall_s: float
    peak_rss_bytes: int
    stdout: str
    stderr: str
    peak_members: list[dict] = field(default_factory=list)

    def json_line(self) -> dict:
        """The last stdout line that is a JSON object: what a bench worker reports about itself."""
        for line in reversed(self.stdout.strip().splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"{self.command[:4]}... printed no JSON result; stderr tail:\n{self.tail()}")

    def tail(self, lines: int = 25) -> str:
        return "\n".join((self.stderr or self.stdout).strip().splitlines()[-lines:])

    def check(self) -> Finished:
        if self.returncode != 0:
            raise RuntimeError(
                f"exit status {self.returncode} from {' '.join(self.command[:6])} ...:\n{self.tail()}"
            )
        return self


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _rss(pid: int) -> int:
    with contextlib.suppress(OSError, IndexError, ValueError):
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    return 0


def _command(pid: int) -> str:
    with contextlib.suppress(OSError):
        return (
            Path(f"/proc/{pid}/cmdline")
            .read_bytes()
            .replace(b"\0", b" ")
            .decode(errors="replace")
            .strip()[:160]
        )
    return "?"


def tree_members(root: int) -> dict[int, int]:
    """Resident bytes of `root` and each of its descendants right now, by pid."""
    tree, pending, found = _children(), [root], {}
    while pending:
        pid = pending.pop()
        pending.extend(tree.get(pid, []))
        found[pid] = _rss(pid)
    return found


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants right now (shared pages counted in each)."""
    return sum(tree_members(root).values())


def run(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, timeout_s: float = 7200
) -> Finished:
    """Run to completion, polling the tree's RSS; output is captured (workers print one JSON line)."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak, at_peak, done = [0], {}, threading.Event()

    def poll() -> None:
        while not done.is_set():
            members = tree_members(process.pid)
            if sum(members.values()) > peak[0]:
                peak[0] = sum(members.values())
                at_peak.clear()
                at_peak.update(
                    {pid: (rss, _command(pid)) for pid, rss in members.items() if rss > 20 * 2**20}
                )
            done.wait(POLL_S)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    finally:
        done.set()
        poller.join()
    biggest = sorted(at_peak.items(), key=lambda item: -item[1][0])[:6]
    members = [
        {"pid": pid, "rss_mib": round(rss / 2**20, 1), "command": command} for pid, (rss, command) in biggest
    ]
    return Finished(command, process.returncode, time.monotonic() - started, peak[0], stdout, stderr, members)
