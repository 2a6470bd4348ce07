"""Whether the pipeline can write where it is told to, asked before anything else happens."""

from __future__ import annotations

import os
from pathlib import Path


def why_unwritable(path: Path, folder: bool = False) -> str | None:
    """Why a file (or, with `folder`, a folder and files in it) cannot be created or replaced at `path`, or
    None when it can."""
    path = Path(path)
    if folder and path.exists():
        if not path.is_dir():
            return "exists and is not a folder"
        return None if os.access(path, os.W_OK | os.X_OK) else "the folder is not writable"
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot create anything in {parent}"
    if path.exists() and (path.is_dir() or not os.access(path, os.W_OK)):
        return "exists and is not a writable file"
    return None
