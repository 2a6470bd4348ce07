"""PIPELINE_WAREHOUSE: where the warehouse is (a DuckDB file, a PostgreSQL server or a Spark SQL server), parsed
and checked before any request is sent. Each problem is one line naming the variable."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.secret import Secret

SPARK_PASSWORD = "PIPELINE_SPARK_PASSWORD"
SPARK_PORT = 10000  # HiveServer2's default
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
KNOWN_WAREHOUSES = ("a DuckDB file path, postgresql://USER@HOST:PORT/DATABASE or spark://USER@HOST:PORT")


@dataclass(frozen=True)
class WarehouseLocation:
    """PIPELINE_WAREHOUSE: a DuckDB file; a PostgreSQL server reached with libpq conventions (the password
    from PGPASSWORD or ~/.pgpass); or a Spark SQL server's Thrift (HiveServer2) endpoint (the password, when
    the server asks for one, from PIPELINE_SPARK_PASSWORD). A password is kept out of every text this object
    prints."""

    path: Path | None = None  # DuckDB
    host: str = ""
    port: int = 5432
    database: str = ""  # PostgreSQL only: Spark's schemas are its databases (raw, staging, ...)
    user: str = ""
    password: Secret | None = field(default=None, repr=False)
    query: str = ""
    engine: str = "duckdb"  # duckdb, postgres or spark

    def describe(self) -> str:
        """Where it is, for messages: never the password."""
        if self.engine == "duckdb":
            return str(self.path)
        if self.engine == "spark":
            return f"spark://{self.user}@{self.host}:{self.port}"
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}"

    __str__ = describe


def parse_warehouse(value: str, problems: list[str],
                    environ: Mapping[str, str] | None = None) -> WarehouseLocation | None:
    """A DuckDB path, `postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE` (the password is better given in
    PGPASSWORD or ~/.pgpass) or `spark://USER@HOST:PORT` (the password from PIPELINE_SPARK_PASSWORD). Any
    other `scheme://` is refused here, before a request is sent, rather than taken for a file name."""
    scheme = _SCHEME.match(value)
    if scheme is None:
        return WarehouseLocation(path=Path(value))
    name = scheme.group(1).lower()
    if name in ("postgresql", "postgres"):
        return _parse_postgres(value, problems)
    if name == "spark":
        return _parse_spark(value, problems, os.environ if environ is None else environ)
    problems.append(f"PIPELINE_WAREHOUSE: unknown scheme {name}:// (known: {KNOWN_WAREHOUSES})")
    return None


def _parse_postgres(value: str, problems: list[str]) -> WarehouseLocation | None:
    try:
        url = urlsplit(value)
        port = url.port or 5432
    except ValueError:
        problems.append("PIPELINE_WAREHOUSE: not a valid PostgreSQL URL (postgresql://USER@HOST:PORT/DATABASE)")
        return None
    database = unquote(url.path.lstrip("/"))
    missing = [name for name, part in (("USER", url.username), ("HOST", url.hostname), ("DATABASE", database))
               if not part]
    if missing:
        problems.append(f"PIPELINE_WAREHOUSE: the PostgreSQL URL must name {', '.join(missing)} "
                        "(postgresql://USER@HOST:PORT/DATABASE)")
        return None
    password = Secret(unquote(url.password)) if url.password else None
    return WarehouseLocation(host=url.hostname or "", port=port, database=database,
                             user=unquote(url.username or ""), password=password, query=url.query,
                             engine="postgres")


def _parse_spark(value: str, problems: list[str], environ: Mapping[str, str]) -> WarehouseLocation | None:
    try:
        url = urlsplit(value)
        port = url.port or SPARK_PORT
    except ValueError:
        problems.append("PIPELINE_WAREHOUSE: not a valid Spark URL (spark://USER@HOST:PORT)")
        return None
    missing = [name for name, part in (("USER", url.username), ("HOST", url.hostname)) if not part]
    if missing:
        problems.append(f"PIPELINE_WAREHOUSE: the Spark URL must name {', '.join(missing)} (spark://USER@HOST:PORT)")
        return None
    if url.path.strip("/") or url.query:
        problems.append("PIPELINE_WAREHOUSE: a Spark URL names no database or options (spark://USER@HOST:PORT): "
                        "the pipeline keeps its own databases raw, staging, intermediate and marts")
        return None
    if url.password:  # a URL is printed and logged too easily: the contract keeps the password in the environment
        problems.append(f"PIPELINE_WAREHOUSE: write no password into a Spark URL; set {SPARK_PASSWORD} instead")
        return None
    password = Secret(environ[SPARK_PASSWORD]) if environ.get(SPARK_PASSWORD) else None
    return WarehouseLocation(host=url.hostname or "", port=port, user=unquote(url.username or ""),
                             password=password, engine="spark")
