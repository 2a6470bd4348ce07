"""SERPI never sees two requests at once on one token, even from two processes extracting concurrently."""

import json
import os
import subprocess
import sys
from pathlib import Path

from pipeline.sources import extract

from .helpers import MARCH

SCRIPT = """
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from pipeline.config import RetryPolicy
from pipeline.sources import load_settings
from pipeline.extract.partitions import Partition
from pipeline.sources import extract
settings = load_settings(Path(sys.argv[1]))
settings = replace(settings, retry=RetryPolicy(attempts=3, initial_wait=0.01, max_wait=0.05))
month = int(sys.argv[2])
partition = Partition(f"2025-{month:02d}", date(2025, month, 1), date(2025, month, 28))
for endpoint in ("document_types", "documents"):
    extract(settings, settings.connection("contable_co"), endpoint, partition, f"proc{month}")
"""


def serpi_stats(sim):
    stats = sim.control.stats()
    return stats.get("serpi", stats)


def test_two_processes_on_one_token_never_overlap(make_settings):
    sim = make_settings.sim
    sim.control.set_faults({"serpi_latency_ms": 30, "serpi_max_documents": 20, "source": "serpi"})
    settings = make_settings(["contable_co"])
    before = serpi_stats(sim)
    env = {**os.environ, **make_settings.environ}
    root = Path(__file__).parents[2]
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, str(settings.path), str(month)], env=env, cwd=root,
                              stderr=subprocess.PIPE) for month in (2, 4)]
    extract(settings, settings.connection("contable_co"), "documents", MARCH, "here")
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()[-2000:]
    after = serpi_stats(sim)
    text = json.dumps(after)
    assert _max_in_flight(after) == 1, text
    assert _rejections(after) == _rejections(before), text


def _max_in_flight(stats):
    value = stats["max_in_flight_per_token"]
    return max(value.values()) if isinstance(value, dict) else value


def _rejections(stats):
    value = stats.get("token_in_use_rejections", 0)
    return sum(value.values()) if isinstance(value, dict) else value
