"""The vocabulary of a declarative source: an API is data (auth, endpoints, paging, windows, keys, rules,
connection options), written once in `pipeline/sources/<name>.py` and read by the engine."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipeline.config import AuthShape, Connection, Option
from pipeline.extract.auth import AuthStrategy
from pipeline.extract.paginators import WholeWindow
from pipeline.extract.reported import NothingReported, Tracker
from pipeline.extract.responses import Rule


class Paginator(Protocol):
    repage: bool  # the engine may page the partition again when fewer keys arrived than the API reported

    async def run(self, ctx: Any) -> None: ...


class Reporter(Protocol):
    def tracker(self) -> Tracker: ...


@dataclass(frozen=True)
class DateWindow:
    """A date-filtered endpoint, partitioned by month: the query (or body) fields for the first and last day,
    both inclusive."""

    start: str
    end: str
    in_body: bool = False  # the window travels in the JSON body (the paginator builds it)


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # may name connection options: "{documents_path}"
    method: str = "GET"
    params: dict[str, Any] = field(default_factory=dict)
    records: str | None = "data"  # dotted path to the records; None: the whole body is one record
    key: str | None = "id"
    paginator: Paginator = WholeWindow()
    window: DateWindow | None = None  # None: a snapshot endpoint, one partition per as-of date
    reported: Reporter = NothingReported()
    rules: tuple[Rule, ...] = ()  # checked before the source's rules

    def path_for(self, connection: Connection) -> str:
        return self.path.format_map(connection.options)


@dataclass(frozen=True)
class Refresh:
    """A schedule that refreshes this source (and what is downstream of it) more often than the nightly run,
    over the current month; off until switched on in the UI."""

    cron: str
    description: str


@dataclass(frozen=True)
class Source:
    """One API. Besides how to call it, it declares what its connections may say (`options`, its auth modes,
    `endpoint_option`), which the connections file is validated against (pipeline.config.ConnectionSpec)."""

    name: str
    auth: Mapping[str, AuthStrategy]  # mode name -> strategy; one mode: the file does not name it
    endpoints: dict[str, Endpoint]
    rules: tuple[Rule, ...] = ()  # envelope checks and quirks shared by every endpoint
    options: Mapping[str, Option] = field(default_factory=dict)  # extra connection keys
    endpoint_option: str | None = None  # a connection key listing the endpoints it extracts
    serialized: bool = False  # one request in flight per credential, across assets and processes
    explicit_mode: bool = False  # the connections file must name the auth mode
    refresh: Refresh | None = None

    @property
    def auth_modes(self) -> Mapping[str, AuthShape]:
        return {mode: strategy.shape for mode, strategy in self.auth.items()}

    @property
    def endpoint_names(self) -> tuple[str, ...]:
        return tuple(self.endpoints)

    @property
    def path_options(self) -> set[str]:
        return {name for endpoint in self.endpoints.values() for _, name, _, _ in string.Formatter().parse(endpoint.path)
                if name}

    def enabled_endpoints(self, connection: Connection) -> list[str]:
        return [name for name in self.endpoints if connection.endpoints is None or name in connection.endpoints]

    def strategy(self, connection: Connection) -> AuthStrategy:
        return self.auth[connection.auth.mode]


def endpoints(*items: Endpoint) -> dict[str, Endpoint]:
    return {item.name: item for item in items}
