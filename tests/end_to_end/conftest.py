"""End-to-end fixtures: `pipeline run` as a real subprocess against a real simulator, in a private folder, with
its warehouse a DuckDB file or a database on the session's real PostgreSQL server."""

from __future__ import annotations

import pytest
from support import Workspace, make_workspace


@pytest.fixture(scope="module")
def workspace_factory(tmp_path_factory):
    """`workspace_factory(simulator, name, warehouse=URL)`: a private connections file, raw dir, warehouse and
    DAGSTER_HOME."""

    def factory(simulator, name="ws", tenants=None, warehouse=None, **overrides) -> Workspace:
        return make_workspace(tmp_path_factory.mktemp(name), simulator, tenants, warehouse, **overrides)

    return factory
