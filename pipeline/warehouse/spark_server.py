"""The distributed warehouse: a Spark SQL server reached over Thrift (HiveServer2), as dbt-spark and BI tools
reach it (issue 18): the connection and its checks, short sessions, the writer lease (spark_lease), the dbt
environment and publication by views. Loading raw on Spark is not written yet, so `open_warehouse` does not
hand this class out.

Spark's session catalog has no transactions and no information_schema: `begin`/`commit`/`rollback` do
nothing, and tables and columns are looked up with SHOW TABLES and DESCRIBE. Money must never become NULL by
overflow, so every session runs in ANSI mode and `check()` refuses a server whose sessions do not.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pipeline.config import SPARK_PASSWORD, WarehouseLocation
from pipeline.warehouse.base import OnWait, Query, Session, Warehouse, WarehouseUnavailable
from pipeline.warehouse.spark_lease import writer_lease

CONNECT_TIMEOUT_MS = 10_000
PUBLISHED = "marts"  # views BI reads, over one of the two build databases
BUILDS = ("marts_build_a", "marts_build_b")
PUBLICATION = "raw._publication"  # one row: the build database the views read
INSERT_BATCH = 500  # rows per INSERT ... VALUES statement (bookkeeping tables only: raw is read from files)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ERROR_CLASS = re.compile(r"\[([A-Z_]+(?:\.[A-Z_]+)?)\]\s*([^\n\\]*)")


class ThriftSession(Session):
    """One Thrift session. `?` placeholders are bound client-side as Spark SQL literals (exact for Decimal)."""

    def __init__(self, con: Any):
        self.con, self.cur = con, con.cursor()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.cur.execute(bind(sql, params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Rows as on the other engines: PyHive gives DATE as text, so dates are typed here."""
        self.cur.execute(bind(sql, params))
        found = self.cur.fetchall()
        dates = [index for index, column in enumerate(self.cur.description or []) if column[1] == "DATE_TYPE"]
        if not dates:
            return [tuple(row) for row in found]
        typed = []
        for row in found:
            values = list(row)
            for index in dates:
                values[index] = None if values[index] is None else date.fromisoformat(values[index])
            typed.append(tuple(values))
        return typed

    def insert_columns(self, table: str, data: Mapping[str, list]) -> None:
        rows = list(zip(*data.values(), strict=True))
        for start in range(0, len(rows), INSERT_BATCH):
            values = ", ".join("(" + ", ".join(literal(value) for value in row) + ")"
                               for row in rows[start:start + INSERT_BATCH])
            self.cur.execute(f"insert into {table} ({', '.join(data)}) values {values}")

    def create_table(self, table: str, columns: Mapping[str, str]) -> None:
        spelled = ", ".join(f"{name} {'STRING' if kind.upper() == 'VARCHAR' else kind}" for name, kind in columns.items())
        self.execute(f"create table if not exists {table} ({spelled}) using parquet")

    # Spark's catalog has no transactions: each statement commits by itself.
    def begin(self) -> None:
        pass

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def table_exists(self, schema: str, table: str) -> bool:
        if not self.rows("show databases like ?", [schema]):
            return False
        return bool(self.rows(f"show tables in {_name(schema)} like ?", [table]))

    def columns(self, schema: str, table: str) -> list[str]:
        found = []
        for name, *_ in self.rows(f"describe table {_name(schema)}.{_name(table)}"):
            if not name or name.startswith("#"):  # the partition section repeats the partition columns
                break
            found.append(name)
        return found


class SparkWarehouse(Warehouse):
    engine = "spark"

    def __init__(self, location: WarehouseLocation):
        self.location = location

    def _where(self) -> str:
        where = self.location
        return f"the Spark SQL server at {where.host}:{where.port} as user {where.user}"

    def _connect(self) -> Any:
        from pyhive import hive  # imports thrift: keep `pipeline --help` fast

        where = self.location
        socket, transport = _transport(where)
        try:
            con = hive.connect(thrift_transport=transport, username=where.user)
        except Exception as error:  # thrift, SASL and socket errors share no base class
            raise WarehouseUnavailable(f"PIPELINE_WAREHOUSE: cannot connect to {self._where()}: "
                                       f"{_why_not_connected(error, where)}") from None
        socket.setTimeout(None)  # connected: a long statement is not a dead server
        return con

    def check(self) -> None:
        """Reachable, in ANSI mode by default (what dbt's sessions get), and able to create databases."""
        with contextlib.closing(self._connect()) as con:
            cur = con.cursor()
            try:
                cur.execute("set spark.sql.ansi.enabled")
                ((_, ansi),) = cur.fetchall()
                if ansi.strip().lower() != "true":
                    raise WarehouseUnavailable(
                        f"PIPELINE_WAREHOUSE: {self._where()} runs with spark.sql.ansi.enabled={ansi}, where an "
                        "overflowing amount silently becomes NULL: start it with --conf spark.sql.ansi.enabled=true")
                cur.execute("create database if not exists raw")
            except WarehouseUnavailable:
                raise
            except Exception as error:
                raise WarehouseUnavailable(f"PIPELINE_WAREHOUSE: {self._where()} may not create database raw: "
                                           f"{spark_error(error)}") from None

    @contextlib.contextmanager
    def session(self, read_only: bool = False) -> Iterator[Session]:
        """A Thrift session in ANSI mode and UTC whatever the server's defaults. Spark has no read-only sessions:
        read_only is a promise of the caller's here."""
        con = self._connect()
        try:
            session = ThriftSession(con)
            session.execute("set spark.sql.ansi.enabled=true")
            session.execute("set spark.sql.session.timeZone=UTC")
            yield session
        finally:
            con.close()

    def dbt_environment(self) -> dict[str, str]:
        where = self.location
        environment = {"PIPELINE_DBT_TARGET": "spark", "PIPELINE_SPARK_HOST": where.host,
                       "PIPELINE_SPARK_PORT": str(where.port), "PIPELINE_SPARK_USER": where.user}
        if where.password:
            environment[SPARK_PASSWORD] = where.password.get()
        environment["PIPELINE_SPARK_MARTS_BUILD"] = self._next_build()
        return environment

    def _published_build(self, session: Session) -> str | None:
        if not session.table_exists("raw", "_publication"):
            return None
        row = session.one(f"select build from {PUBLICATION}")
        return row[0] if row else None

    def _next_build(self) -> str:
        """The build database the views in `marts` do not read: the next build writes there."""
        with self.session(read_only=True) as session:
            published = self._published_build(session)
        return BUILDS[1] if published == BUILDS[0] else BUILDS[0]

    @contextlib.contextmanager
    def acquire_lock(self, on_wait: OnWait | None) -> Iterator[None]:
        """A lease in the metastore (spark_lease): writers on any host take turns; a killed run's lease is taken
        over once it stopped beating for the lease time."""
        with writer_lease(self.session, self.describe(), on_wait):
            yield

    def publish(self, extra_relations: Sequence[str]) -> dict[str, int]:
        """Point each view in `marts` at its table in the build that just succeeded, one view at a time (Spark
        has no transaction spanning statements: a reader sees each mart old or new, never half-built), then
        remember which build is published, so the next build writes the other one."""
        with self.session() as session:
            build = self._next_build()
            tables = sorted(name for _, name, *_ in session.rows(f"show tables in {build}")) \
                if session.rows("show databases like ?", [build]) else []
            if not tables:
                raise WarehouseUnavailable(f"nothing to publish: database {build} has no tables (no build ran)")
            session.execute(f"create database if not exists {PUBLISHED}")
            rows = {}
            for table in tables:
                session.execute(f"create or replace view {PUBLISHED}.{_name(table)} as select * from {build}.{_name(table)}")
                rows[f"{PUBLISHED}.{table}"] = session.one(f"select count(*) from {PUBLISHED}.{_name(table)}")[0]
            for _, view, *_ in session.rows(f"show views in {PUBLISHED}"):
                if view not in tables:
                    session.execute(f"drop view if exists {PUBLISHED}.{_name(view)}")
            session.create_table(PUBLICATION, {"build": "VARCHAR"})
            session.execute(f"insert overwrite table {PUBLICATION} select ?", [build])
        return rows

    @contextlib.contextmanager
    def published(self) -> Iterator[Query | None]:
        with self.session(read_only=True) as session:
            if self._published_build(session) is None:
                yield None
                return
            yield session.rows


def _transport(where: WarehouseLocation) -> tuple[Any, Any]:
    """PyHive's own SASL PLAIN transport, but with a connect timeout (PyHive's has none). Without a password
    it is authentication NONE (any non-empty password is sent); with one, LDAP/CUSTOM servers check it."""
    import thrift_sasl
    from pyhive.hive import get_installed_sasl
    from thrift.transport.TSocket import TSocket

    socket = TSocket(where.host, where.port)
    socket.setTimeout(CONNECT_TIMEOUT_MS)
    password = where.password.get() if where.password else "x"
    return socket, thrift_sasl.TSaslClientTransport(
        lambda: get_installed_sasl(host=where.host, sasl_auth="PLAIN", username=where.user, password=password),
        "PLAIN", socket)


def _why_not_connected(error: Exception, where: WarehouseLocation) -> str:
    text = str(error)
    if "Could not connect" in text or isinstance(error, ConnectionRefusedError):
        return "nothing answers there (is the Thrift server running, on that port?)"
    if "timed out" in text or isinstance(error, TimeoutError):
        return f"no answer within {CONNECT_TIMEOUT_MS // 1000} s"
    if "Error validating the login" in text:
        given = f"the password in {SPARK_PASSWORD}" if where.password else f"no password ({SPARK_PASSWORD} is not set)"
        return f"the server refused the login with {given}"
    return spark_error(error)


def spark_error(error: Exception) -> str:
    """Spark's error class and message, not the Java stack PyHive carries."""
    found = _ERROR_CLASS.search(str(error))
    if found:
        return f"[{found.group(1)}] {found.group(2).strip()}"[:300]
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:300]


def _name(identifier: str) -> str:
    if not _IDENTIFIER.match(identifier):
        raise ValueError(f"not a plain identifier: {identifier!r}")
    return identifier


def literal(value: Any) -> str:
    """A Python value as a Spark SQL literal: Decimal exactly (its digits and scale), text escaped."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite decimal: {value}")
        return f"{value:f}BD"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value!r}D"
    if isinstance(value, datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    raise TypeError(f"no Spark SQL literal for {type(value).__name__}")


def bind(sql: str, params: Sequence[Any]) -> str:
    """Replace each `?` outside quoted text and identifiers by the next parameter's literal (the SQL the
    pipeline writes has no comments)."""
    if not params:
        return sql
    out, values, quote, index = [], iter(params), "", 0
    while index < len(sql):
        char = sql[index]
        if quote:
            out.append(char)
            if char == "\\" and index + 1 < len(sql):
                out.append(sql[index + 1])
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
            out.append(char)
        elif char == "?":
            try:
                out.append(literal(next(values)))
            except StopIteration:
                raise ValueError(f"more ? than parameters in: {sql}") from None
        else:
            out.append(char)
        index += 1
    if next(values, _END) is not _END:
        raise ValueError(f"more parameters than ? in: {sql}")
    return "".join(out)


_END = object()
