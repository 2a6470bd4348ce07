"""The shape of a declarative source: an API is data (auth, endpoints, paging, windows, keys, rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pipeline.config import Connection
from pipeline.extract.auth import AuthSession
from pipeline.extract.paginators import WholeWindow
from pipeline.extract.reported import NothingReported, Tracker
from pipeline.extract.responses import Rule


class AuthStrategy(Protocol):
    def session(self, connection: Connection) -> AuthSession: ...


class Paginator(Protocol):
    repage: bool

    async def run(self, ctx: Any) -> None: ...


class Reporter(Protocol):
    def tracker(self) -> Tracker: ...


@dataclass(frozen=True)
class DateWindow:
    """A date-filtered endpoint: query (or body) fields for the first and last day, both inclusive.
    `lookback` re-extracts every month overlapping [end - connection.lookback_days, end] on each run."""

    start: str
    end: str
    partitioning: Literal["monthly"] = "monthly"
    lookback: bool = False
    in_body: bool = False  # the window travels in the JSON body (the paginator builds it)


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # may name connection attributes: "{documents_path}"
    method: str = "GET"
    params: dict[str, Any] = field(default_factory=dict)
    records: str | None = "data"  # dotted path to the records; None: the whole body is one record
    key: str | None = "id"
    paginator: Paginator = WholeWindow()
    window: DateWindow | None = None  # None: a snapshot endpoint, partitioned by as-of date
    reported: Reporter = NothingReported()
    rules: tuple[Rule, ...] = ()  # checked before the source's rules

    @property
    def partitioning(self) -> str:
        return self.window.partitioning if self.window else "snapshot"


@dataclass(frozen=True)
class Source:
    name: str
    auth: AuthStrategy
    endpoints: dict[str, Endpoint]
    rules: tuple[Rule, ...] = ()  # envelope checks and quirks shared by every endpoint
    endpoint_option: str | None = None  # connection attribute listing the endpoints it extracts
    serialized: bool = False  # one request at a time per credential (the engine enforces it with a file lock)

    def enabled_endpoints(self, connection: Connection) -> list[str]:
        chosen = getattr(connection, self.endpoint_option) if self.endpoint_option else None
        return [name for name in self.endpoints if chosen is None or name in chosen]


def endpoints(*items: Endpoint) -> dict[str, Endpoint]:
    return {item.name: item for item in items}
