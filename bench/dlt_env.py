"""The separate virtualenv dlt runs in (bench/.venv-dlt), created on first use with uv."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.simulator import REPO

DLT_VENV = REPO / "bench" / ".venv-dlt"
DLT_REQUIREMENT = "dlt[duckdb]"


def ensure_dlt_venv() -> Path:
    """The venv's python, creating the venv and installing dlt[duckdb] when it is missing."""
    python = DLT_VENV / "bin" / "python"
    if (
        python.exists()
        and subprocess.run([str(python), "-c", "import dlt"], capture_output=True).returncode == 0
    ):
        return python
    uv = str(REPO / ".venv" / "bin" / "uv")
    subprocess.run([uv, "venv", "--quiet", "--python", "3.11", str(DLT_VENV)], check=True)
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(python), DLT_REQUIREMENT], check=True)
    return python


def dlt_version(python: Path) -> str:
    return subprocess.run(
        [str(python), "-c", "import dlt; print(dlt.__version__)"], capture_output=True, text=True, check=True
    ).stdout.strip()
