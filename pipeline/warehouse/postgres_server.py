"""The server warehouse: a PostgreSQL database that BI connects to directly, as a read-only role.

dbt builds the marts aside, in `marts_build`; a successful build (its tests passed) is published by swapping
that schema with `marts` in one transaction, so a dashboard never sees a half-built state and a failed run
leaves the last good marts in place. The swapped-out schema becomes the next build's `marts_build`: its
incremental models catch up from what changed since they were built. Runs from several machines serialize
on an advisory lock. Connections follow libpq conventions (PGPASSWORD, ~/.pgpass, PGSSLMODE); a password
written into PIPELINE_WAREHOUSE is used and never shown.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl

import psycopg2
import psycopg2.errors
from psycopg2 import sql as pgsql

from pipeline.config import WarehouseLocation
from pipeline.warehouse.base import OnWait, Query, Session, Warehouse, WarehouseUnavailable

PUBLISHED = "marts"
BUILD = "marts_build"
READERS = "pipeline_readers"  # the group role BI login roles belong to (see grant_reader)
# pg_advisory_lock keys are 64-bit integers; this one spells "pipeline" in ASCII.
LOCK_KEY = int.from_bytes(b"pipeline", "big") & 0x7FFF_FFFF_FFFF_FFFF
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class PostgresSession(Session):
    def __init__(self, con: Any):
        self.con, self.cur = con, con.cursor()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.cur.execute(_placeholders(sql), list(params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        self.cur.execute(_placeholders(sql), list(params))
        return self.cur.fetchall()

    def insert_columns(self, table: str, data: Mapping[str, list]) -> None:
        """COPY in PostgreSQL's text format: one round trip for the whole batch."""
        buffer = io.StringIO()
        for row in zip(*data.values(), strict=True):
            buffer.write("\t".join(_copy_value(value) for value in row))
            buffer.write("\n")
        buffer.seek(0)
        self.cur.copy_expert(f"copy {table} ({', '.join(data)}) from stdin", buffer)

    def begin(self) -> None:
        self.cur.execute("begin")

    def commit(self) -> None:
        self.cur.execute("commit")

    def rollback(self) -> None:
        self.cur.execute("rollback")


class NeedsAdministrator(WarehouseUnavailable):
    """The pipeline's user may not create roles: the first line says so, the next ones are the SQL to run."""


class _RolePlan:
    """What `grant_reader` must change for ROLE, found out before anything is changed."""

    def __init__(self, cur: Any, role: str, database: str):
        self.role, self.database = role, database
        cur.execute("select rolcanlogin from pg_roles where rolname = %s", [role])
        found = cur.fetchone()
        self.exists, self.can_login = found is not None, bool(found and found[0])
        cur.execute("select 1 from pg_roles where rolname = %s", [READERS])
        self.has_readers = cur.fetchone() is not None
        cur.execute("select 1 from pg_auth_members m join pg_roles g on g.oid = m.roleid "
                    "join pg_roles r on r.oid = m.member where g.rolname = %s and r.rolname = %s", [READERS, role])
        self.is_member = cur.fetchone() is not None
        # CONNECT is PUBLIC's by default: grant it only where an administrator revoked it.
        self.may_connect = self._may_connect(cur, READERS if self.has_readers else "public")
        cur.execute("select 1 from pg_namespace where nspname = %s", [PUBLISHED])
        self.published = cur.fetchone() is not None

    def _may_connect(self, cur: Any, grantee: str) -> bool:
        cur.execute("select has_database_privilege(%s, current_database(), 'CONNECT')", [grantee])
        return bool(cur.fetchone()[0])

    def statements(self, password: str | None) -> list[tuple[pgsql.Composable, list[str]]]:
        role, readers = pgsql.Identifier(self.role), pgsql.Identifier(READERS)
        planned: list[tuple[pgsql.Composable, list[str]]] = []
        if not self.has_readers:
            planned.append((pgsql.SQL("create role {} nologin").format(readers), []))
        if not self.exists or not self.can_login or password:
            verb = "alter" if self.exists else "create"
            text = f"{verb} role {{}} login" + (" password %s" if password else "")
            planned.append((pgsql.SQL(text).format(role), [password] if password else []))
        if not self.is_member:
            planned.append((pgsql.SQL("grant {} to {}").format(readers, role), []))
        if not self.may_connect:
            planned.append((pgsql.SQL("grant connect on database {} to {}").format(
                pgsql.Identifier(self.database), readers), []))
        return planned

    def for_administrator(self, with_password: bool, name: Callable[[str], str]) -> list[str]:
        """The same changes as SQL a person runs, the password left to psql's prompt (never printed)."""
        role, readers = name(self.role), name(READERS)
        lines = [] if self.has_readers else [f"  CREATE ROLE {readers} NOLOGIN;"]
        if not self.exists or not self.can_login:
            lines.append(f"  {'ALTER' if self.exists else 'CREATE'} ROLE {role} LOGIN;")
        if with_password:
            lines.append(f"  \\password {role}")
        if not self.is_member:
            lines.append(f"  GRANT {readers} TO {role};")
        if not self.may_connect:
            lines.append(f"  GRANT CONNECT ON DATABASE {name(self.database)} TO {readers};")
        if self.published:
            lines += [f"  GRANT USAGE ON SCHEMA {PUBLISHED} TO {readers};",
                      f"  GRANT SELECT ON ALL TABLES IN SCHEMA {PUBLISHED} TO {readers};"]
        return [*lines, f"(each later publication grants {readers} the new marts by itself)"]


class PostgresWarehouse(Warehouse):
    engine = "postgres"

    def __init__(self, location: WarehouseLocation):
        self.location = location

    def _connect(self, purpose: str = "") -> Any:
        where = self.location
        options = dict(parse_qsl(where.query))
        application = f"pipeline{' ' + purpose if purpose else ''} on {socket.gethostname()} pid {os.getpid()}"
        try:
            con = psycopg2.connect(host=where.host, port=where.port, dbname=where.database, user=where.user,
                                   password=where.password.get() if where.password else None,
                                   application_name=application[:63], connect_timeout=10, **options)
        except psycopg2.Error as error:
            raise WarehouseUnavailable(f"PIPELINE_WAREHOUSE: cannot connect to PostgreSQL at {where.host}:"
                                       f"{where.port}, database {where.database}, user {where.user}: "
                                       f"{_first_line(error)}") from None
        con.autocommit = True
        return con

    def check(self) -> None:
        with contextlib.closing(self._connect()) as con, con.cursor() as cur:
            cur.execute("select has_database_privilege(current_database(), 'CREATE')")
            (can_create,) = cur.fetchone()
        if not can_create:
            where = self.location
            raise WarehouseUnavailable(
                f"PIPELINE_WAREHOUSE: user {where.user} may not create schemas in database {where.database} on "
                f"{where.host}:{where.port} (the pipeline creates raw, staging, intermediate, {BUILD} and {PUBLISHED}): "
                f"GRANT CREATE ON DATABASE {where.database} TO {where.user}")

    @contextlib.contextmanager
    def acquire_lock(self, on_wait: OnWait | None) -> Iterator[None]:
        """An advisory lock held on its own connection: runs from several machines write one at a time, and
        a killed run's lock goes with its connection."""
        con = self._connect("lock")
        try:
            with con.cursor() as cur:
                cur.execute("select pg_try_advisory_lock(%s)", [LOCK_KEY])
                if not cur.fetchone()[0]:
                    if on_wait:
                        on_wait(f"waiting for the warehouse {self.describe()}: {self._holder(cur)} is writing it")
                    cur.execute("select pg_advisory_lock(%s)", [LOCK_KEY])
            yield
        finally:
            con.close()

    def _holder(self, cur: Any) -> str:
        cur.execute("select a.application_name, a.client_addr::text from pg_locks l "
                    "join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.granted "
                    "and (l.classid::bigint << 32 | l.objid::bigint) = %s limit 1", [LOCK_KEY])
        row = cur.fetchone()
        return f"{row[0] or 'another session'}{' from ' + row[1] if row and row[1] else ''}" if row else "another run"

    @contextlib.contextmanager
    def session(self, read_only: bool = False) -> Iterator[Session]:
        con = self._connect()
        try:
            if read_only:
                con.cursor().execute("set default_transaction_read_only = on")
            yield PostgresSession(con)
        finally:
            con.close()

    def dbt_environment(self) -> dict[str, str]:
        where = self.location
        environment = {"PIPELINE_DBT_TARGET": "postgres", "PIPELINE_PG_HOST": where.host,
                       "PIPELINE_PG_PORT": str(where.port), "PIPELINE_PG_USER": where.user,
                       "PIPELINE_PG_DATABASE": where.database}
        if where.password:
            environment["PGPASSWORD"] = where.password.get()
        environment.update({f"PG{name.upper()}": value for name, value in parse_qsl(where.query)
                            if name in ("sslmode", "sslrootcert", "sslcert", "sslkey")})
        return environment

    def publish(self, extra_relations: Sequence[str]) -> dict[str, int]:
        """Swap the built marts in, in one transaction, and let the readers' group read them."""
        with contextlib.closing(self._connect("publish")) as con, con.cursor() as cur:
            cur.execute("begin")
            cur.execute("select nspname from pg_namespace where nspname in (%s, %s)", [PUBLISHED, BUILD])
            present = {name for (name,) in cur.fetchall()}
            if BUILD not in present:
                cur.execute("rollback")
                raise WarehouseUnavailable(f"nothing to publish: schema {BUILD} does not exist (no build ran)")
            if PUBLISHED in present:
                cur.execute(f"alter schema {PUBLISHED} rename to {BUILD}_outgoing")
            cur.execute(f"alter schema {BUILD} rename to {PUBLISHED}")
            if PUBLISHED in present:
                cur.execute(f"alter schema {BUILD}_outgoing rename to {BUILD}")
            cur.execute("select 1 from pg_roles where rolname = %s", [READERS])
            if cur.fetchone():
                self._grant(cur)
            cur.execute("select table_name from information_schema.tables where table_schema = %s", [PUBLISHED])
            tables = sorted(name for (name,) in cur.fetchall())
            rows = {}
            for table in tables:
                cur.execute(pgsql.SQL("select count(*) from {}.{}").format(
                    pgsql.Identifier(PUBLISHED), pgsql.Identifier(table)))
                rows[f"{PUBLISHED}.{table}"] = cur.fetchone()[0]
            cur.execute("commit")
        return rows

    def _grant(self, cur: Any) -> None:
        cur.execute(f"grant usage on schema {PUBLISHED} to {READERS}")
        cur.execute(f"grant select on all tables in schema {PUBLISHED} to {READERS}")
        # After a first publication there is no build schema until the next build: nothing to revoke then.
        cur.execute("select 1 from pg_namespace where nspname = %s", [BUILD])
        if cur.fetchone():
            cur.execute(f"revoke all on schema {BUILD} from {READERS}")

    def grant_reader(self, role: str, password: str | None) -> str:
        """Create or update a login role that may read the published marts (and nothing else); returns what
        was done. The role joins the READERS group, which every publication grants SELECT on `marts`.

        Creating roles needs CREATEROLE, which a user with only CREATE on the database (the README's set-up)
        lacks: then nothing is changed and NeedsAdministrator carries the SQL a superuser runs instead."""
        with contextlib.closing(self._connect("grant")) as con, con.cursor() as cur:
            roles = _RolePlan(cur, role, self.location.database)
            statements = roles.statements(password)
            try:
                cur.execute("begin")
                for statement, params in statements:
                    cur.execute(statement, params)
                cur.execute("select 1 from pg_namespace where nspname = %s", [PUBLISHED])
                if cur.fetchone():
                    self._grant(cur)
                cur.execute("commit")
            except psycopg2.errors.InsufficientPrivilege as error:
                cur.execute("rollback")
                raise NeedsAdministrator(self._ask_administrator(role, roles, password, error, con)) from None
            except psycopg2.Error as error:
                cur.execute("rollback")
                raise WarehouseUnavailable(f"cannot create or update role {role} as {self.location.user} on "
                                           f"{self.describe()}: {_first_line(error)}") from None
        return f"{'updated' if roles.exists else 'created'} role {role}: it may read schema {PUBLISHED}"

    def _ask_administrator(self, role: str, roles: _RolePlan, password: str | None, error: Exception,
                           con: Any) -> str:
        user, name = self.location.user, lambda text: pgsql.Identifier(text).as_string(con)
        lines = [f"user {user} may not create or alter roles on {self.describe()} ({_first_line(error)}); "
                 f"nothing was changed. Either let it (as a superuser: ALTER ROLE {name(user)} CREATEROLE;) and "
                 f"run `pipeline bi-role {role}` again, or run this as a superuser (e.g. psql -d "
                 f"{name(self.location.database)}):"]
        lines += roles.for_administrator(password is not None, name)
        return "\n".join(lines)

    @contextlib.contextmanager
    def published(self) -> Iterator[Query | None]:
        with contextlib.closing(self._connect("read")) as con, con.cursor() as cur:
            cur.execute("select 1 from pg_namespace where nspname = %s", [PUBLISHED])
            if not cur.fetchone():
                yield None
                return

            def query(sql: str) -> list[tuple]:
                cur.execute(sql.replace("%", "%%"))
                return cur.fetchall()

            yield query


def _placeholders(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
