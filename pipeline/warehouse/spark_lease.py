"""The Spark warehouse's writer lock: a lease built on the metastore's one guarantee, that of two `CREATE TABLE`s
of one name exactly one succeeds (across sessions and hosts; docs/spark-notes.md (d)). Spark has no advisory
lock and no transactions.

- Acquire: create `raw._writer_lease_<n>`, n one more than the highest lease present; the table name is the
  compare-and-swap, its table properties say who holds it and when it last beat.
- Hold: a thread sets `heartbeat_at` (the server's clock) every `heartbeat_s`.
- Wait: while the highest lease beat within `lease_s`, a writer waits (and says for whom).
- A killed holder stops beating: the next writer takes over once its lease is `lease_s` old (at once when the
  holder ran on this host and its process is gone) by creating lease n+1, which only one taker can win.
- Release: drop the lease (and the older, stale ones).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from pipeline.warehouse.base import OnWait, Session

PREFIX = "_writer_lease_"
LEASE_S = 300.0
HEARTBEAT_S = 30.0
POLL_S = 2.0
_NUMBER = re.compile(rf"^{PREFIX}(\d+)$")


@dataclass(frozen=True)
class Lease:
    number: int
    holder: str  # "host pid <pid>"
    token: str
    heartbeat_at: datetime

    @property
    def table(self) -> str:
        return f"raw.{PREFIX}{self.number}"

    def dead_here(self) -> bool:
        """Held by a process of this host that is gone."""
        host, _, pid = self.holder.partition(" pid ")
        if host != socket.gethostname() or not pid.isdigit():
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def _server_now(session: Session) -> datetime:
    return datetime.fromisoformat(session.one("select cast(current_timestamp() as string)")[0])


def leases(session: Session) -> list[Lease]:
    """The leases present, highest first."""
    found = []
    for _, name, *_ in session.rows(f"show tables in raw like '{PREFIX}*'"):
        number = _NUMBER.match(name)
        if not number:
            continue
        properties = dict(session.rows(f"show tblproperties raw.{name}"))
        if "heartbeat_at" not in properties:
            continue  # being created this instant: its creator sets them in the same statement
        found.append(Lease(int(number.group(1)), properties.get("holder", "?"), properties.get("token", ""),
                           datetime.fromisoformat(properties["heartbeat_at"])))
    return sorted(found, key=lambda lease: -lease.number)


@contextlib.contextmanager
def writer_lease(session_factory: Callable[[], contextlib.AbstractContextManager[Session]], where: str,
                 on_wait: OnWait | None, lease_s: float = LEASE_S, heartbeat_s: float = HEARTBEAT_S,
                 poll_s: float = POLL_S) -> Iterator[Lease]:
    """Hold the writer lease of the warehouse `where` names until the context ends."""
    lease = _acquire(session_factory, where, on_wait, lease_s, poll_s)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(session_factory, lease, stop, heartbeat_s),
                            name=f"spark-lease-{lease.number}", daemon=True)
    beat.start()
    try:
        yield lease
    finally:
        stop.set()
        beat.join()
        with session_factory() as session:
            session.execute(f"drop table if exists {lease.table}")


def _acquire(session_factory: Callable[[], contextlib.AbstractContextManager[Session]], where: str,
             on_wait: OnWait | None, lease_s: float, poll_s: float) -> Lease:
    told = False
    holder, token = f"{socket.gethostname()} pid {os.getpid()}", uuid.uuid4().hex
    while True:
        with session_factory() as session:
            session.execute("create database if not exists raw")
            present, now = leases(session), _server_now(session)
            highest = present[0] if present else None
            if highest and (now - highest.heartbeat_at).total_seconds() < lease_s and not highest.dead_here():
                if on_wait and not told:
                    on_wait(f"waiting for the warehouse {where}: {highest.holder} is writing it")
                    told = True
            else:
                if highest and on_wait:
                    on_wait(f"taking over the warehouse lock of {where} from {highest.holder}, silent since "
                            f"{highest.heartbeat_at.isoformat(sep=' ')} (server time)")
                lease = Lease((highest.number if highest else 0) + 1, holder, token, now)
                if _create(session, lease):
                    for older in present:
                        session.execute(f"drop table if exists {older.table}")
                    return lease
                continue  # another writer created that number first: look again at once
        time.sleep(poll_s)


def _create(session: Session, lease: Lease) -> bool:
    try:
        session.execute(f"create table {lease.table} (x int) using parquet tblproperties ('holder'=?, 'token'=?, "
                        "'heartbeat_at'=?)", [lease.holder, lease.token, lease.heartbeat_at.isoformat(sep=" ")])
    except Exception as error:  # PyHive raises its OperationalError with Spark's error class in the text
        if "TABLE_OR_VIEW_ALREADY_EXISTS" in str(error) or "already exists" in str(error):
            return False
        raise
    return True


def _heartbeat(session_factory: Callable[[], contextlib.AbstractContextManager[Session]], lease: Lease,
               stop: threading.Event, every_s: float) -> None:
    while not stop.wait(every_s):
        try:
            with session_factory() as session:
                now = _server_now(session).isoformat(sep=" ")
                session.execute(f"alter table {lease.table} set tblproperties ('heartbeat_at'=?)", [now])
        except Exception:  # noqa: BLE001 - a missed beat is retried; the lease outlives several misses
            continue
