"""The connections file and the environment: load them, validate them, resolve secrets.

The format is the operations contract's (/work/shared/docs/operations-contract.md). What a connection of one
source may say (its extra options, its auth modes) is declared by that source (`ConnectionSpec`, implemented by
`pipeline.extract.model.Source`) and handed in by the caller: this module knows no source by name.
Validation is by hand so that a wrong file is refused with exactly one message per problem, each naming the
connection and the key. PIPELINE_WAREHOUSE is parsed by pipeline.warehouse_url.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from pipeline.secret import Secret

# Kept importable from here: pipeline.warehouse and the dbt and Spark tests import these three from config.
from pipeline.warehouse_url import SPARK_PASSWORD as SPARK_PASSWORD
from pipeline.warehouse_url import WarehouseLocation, parse_warehouse

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_CONNECTIONS = DEMO_DIR / "connections.yaml"
DEMO_ENV = DEMO_DIR / "demo.env"
DEFAULT_LOOKBACK_DAYS = 30

_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_URL_FIELD = re.compile(r"\{(\w+)\}")
_COMMON_KEYS = {"name", "source", "base_url", "currency", "auth", "max_concurrency", "lookback_days"}


class ConfigError(ValueError):
    """The connections file or the environment is wrong; str() lists every problem, one per line."""

    def __init__(self, problems: list[str], heading: str = "invalid connections file"):
        self.problems = problems
        super().__init__(f"{heading}:\n  " + "\n  ".join(problems))


# ------------------------------------------------------------------------------------------------ declarations


@dataclass(frozen=True)
class Option:
    """One extra key a source allows on its connections: how to check it, what to say when it is wrong."""

    expects: str  # completes "<key>: ...", e.g. "must be a path starting with /"
    check: Callable[[Any], bool]
    default: Any = None
    convert: Callable[[Any], Any] = lambda value: value


def positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def positive_int_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(positive_int(item) for item in value)


def matches(pattern: str) -> Callable[[Any], bool]:
    compiled = re.compile(pattern)
    return lambda value: isinstance(value, str) and bool(compiled.match(value))


@dataclass(frozen=True)
class AuthShape:
    """What one auth mode needs: credentials (the file names their environment variables, `<name>_env`) and
    plain settings (e.g. a company id)."""

    secrets: tuple[str, ...]
    settings: Mapping[str, Option] = field(default_factory=dict)

    @property
    def env_keys(self) -> tuple[str, ...]:
        return tuple(f"{name}_env" for name in self.secrets)


class ConnectionSpec(Protocol):
    """What a source declares about its connections (see pipeline.extract.model.Source)."""

    name: str
    serialized: bool  # one request in flight per credential: max_concurrency does not apply

    @property
    def options(self) -> Mapping[str, Option]: ...

    @property
    def auth_modes(self) -> Mapping[str, AuthShape]: ...

    @property
    def explicit_mode(self) -> bool: ...  # the file must say `mode:` (else it is told by the keys given)

    @property
    def endpoint_option(self) -> str | None: ...  # a key listing the endpoints a connection extracts

    @property
    def endpoint_names(self) -> tuple[str, ...]: ...

    @property
    def path_options(self) -> set[str]: ...  # options its endpoint paths are built from: required


# ------------------------------------------------------------------------------------------------ values


@dataclass(frozen=True)
class Auth:
    """Resolved auth of one connection: the mode, its credentials (name -> value) and plain settings."""

    mode: str
    secrets: Mapping[str, Secret]
    settings: Mapping[str, Any] = field(default_factory=dict)

    def secret(self, name: str) -> str:
        return self.secrets[name].get()


@dataclass(frozen=True)
class Connection:
    name: str
    source: str
    base_url: str
    currency: str
    auth: Auth
    max_concurrency: int = 4
    concurrency: int = 4  # requests in flight at once: max_concurrency, or 1 for a serialized source
    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    endpoints: tuple[str, ...] | None = None  # None: every endpoint of the source
    options: Mapping[str, Any] = field(default_factory=dict)  # the source's own keys, defaults filled in

    @property
    def url(self) -> str:
        """base_url with `{option}` fields substituted and no trailing slash."""
        url = _URL_FIELD.sub(lambda m: str(self.options.get(m.group(1)) or ""), self.base_url)
        return url.rstrip("/")

    def secret_values(self) -> list[str]:
        return [s.get() for s in self.auth.secrets.values() if s.get()]


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff and jitter; Retry-After is honoured up to max_retry_after."""

    attempts: int = 6
    initial_wait: float = 0.5
    max_wait: float = 20.0
    max_retry_after: float = 120.0
    timeout: float = 60.0


@dataclass(frozen=True)
class Settings:
    start_date: date
    timezone: str
    connections: tuple[Connection, ...]
    raw_dir: Path
    warehouse: WarehouseLocation
    serving: Path
    report: Path = Path("data/report.html")
    path: Path | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def today(self) -> date:
        return datetime.now(ZoneInfo(self.timezone)).date()

    def connection(self, name: str) -> Connection:
        for connection in self.connections:
            if connection.name == name:
                return connection
        raise KeyError(name)

    @property
    def data_dir(self) -> Path:
        """Where the pipeline keeps its own working files (dbt's target and logs): beside the raw folder."""
        return Path(self.raw_dir).parent


# ------------------------------------------------------------------------------------------------ loading


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


class _PlainLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: `start_date: 2025-02-30` stays text, so it is refused with a message
    instead of failing inside the YAML parser."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None, *,
                  sources: Mapping[str, ConnectionSpec], secrets: bool = True) -> Settings:
    """Load and validate the connections file against the declared sources; refuse it with one ConfigError
    listing every problem. `secrets=False` is for commands that reach only the warehouse (`pipeline report`,
    `pipeline bi-role`): the file is validated as ever, but the API credentials' variables need not be set
    and are not read (every connection's `auth.secrets` is empty)."""
    env: dict[str, str] = dict(os.environ if environ is None else environ)
    if path is None and env.get("PIPELINE_CONNECTIONS"):
        path = Path(env["PIPELINE_CONNECTIONS"])
    path = Path(path) if path is not None else DEMO_CONNECTIONS
    if path.resolve() == DEMO_CONNECTIONS.resolve():
        env = {**read_env_file(DEMO_ENV), **env}
    try:
        document = yaml.load(path.read_text(), Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([f"{path}: not valid YAML: {str(exc).splitlines()[0]}"]) from None
    problems: list[str] = []
    parsed = _parse_file(document, env, problems, sources, secrets)
    warehouse = parse_warehouse(env.get("PIPELINE_WAREHOUSE") or "data/warehouse.duckdb", problems, env)
    if problems:
        raise ConfigError(problems)
    assert parsed is not None and warehouse is not None
    return Settings(
        path=path,
        raw_dir=Path(env.get("PIPELINE_RAW_DIR") or "data/raw"),
        warehouse=warehouse,
        serving=Path(env.get("PIPELINE_SERVING") or "data/serving.duckdb"),
        report=Path(env.get("PIPELINE_REPORT") or "data/report.html"),
        **parsed,
    )


def _parse_file(document: Any, env: Mapping[str, str], problems: list[str],
                sources: Mapping[str, ConnectionSpec], secrets: bool = True) -> dict[str, Any] | None:
    if not isinstance(document, dict):
        problems.append("the file must be a mapping with start_date, timezone and connections")
        return None
    for key in sorted(set(document) - {"start_date", "timezone", "connections"}):
        problems.append(f"{key}: unknown key")
    start = _parse_date(document.get("start_date"))
    if start is None:
        value = document.get("start_date")
        shown = "" if value is None else f" (got {value!r}, not a calendar date)"
        problems.append(f"start_date: required, a date YYYY-MM-DD{shown}")
    timezone = document.get("timezone", "America/Bogota")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone: unknown time zone {timezone!r}")
    raw_connections = document.get("connections")
    if not isinstance(raw_connections, list) or not raw_connections:
        problems.append("connections: required, a non-empty list")
        raw_connections = []
    connections, seen = [], set()
    for index, raw in enumerate(raw_connections):
        label = f"connections[{index}]"
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            label += f" ({raw['name']})"
            if raw["name"] in seen:
                problems.append(f"{label}: name: duplicate connection name {raw['name']!r}")
            seen.add(raw["name"])
        connection = _ConnectionParser(raw, env, problems, label, sources, secrets).parse()
        if connection:
            connections.append(connection)
    return {"start_date": start, "timezone": str(timezone), "connections": tuple(connections)}


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _ConnectionParser:
    """One connection entry: each problem is recorded once, as `{label}: {key}: {text}`."""

    def __init__(self, raw: Any, env: Mapping[str, str], problems: list[str], label: str,
                 sources: Mapping[str, ConnectionSpec], resolve_secrets: bool = True):
        self.raw, self.env, self.problems, self.label, self.sources = raw, env, problems, label, sources
        self.resolve_secrets = resolve_secrets

    def problem(self, key: str, text: str) -> None:
        self.problems.append(f"{self.label}: {key}: {text}")

    def parse(self) -> Connection | None:
        raw, before = self.raw, len(self.problems)
        if not isinstance(raw, dict):
            self.problems.append(f"{self.label}: must be a mapping")
            return None
        name, source_name = raw.get("name"), raw.get("source")
        if not isinstance(name, str) or not _NAME.match(name):
            self.problem("name", "required; letters, digits and underscore only")
        spec = self.sources.get(source_name) if isinstance(source_name, str) else None
        if spec is None:
            self.problem("source", f"required, one of {', '.join(self.sources)} (got {source_name!r})")
            return None
        allowed = _COMMON_KEYS | set(spec.options) | ({spec.endpoint_option} if spec.endpoint_option else set())
        for key in sorted(set(raw) - allowed):
            self.problem(key, f"unknown key for a {spec.name} connection")
        base_url, currency = raw.get("base_url"), raw.get("currency")
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            self.problem("base_url", "required, an http(s) URL")
        if not isinstance(currency, str) or not _CURRENCY.match(currency):
            self.problem("currency", "required, an ISO code of three upper-case letters")
        max_concurrency = self._value("max_concurrency", Option("must be a positive integer", positive_int, 4))
        lookback = self._value("lookback_days", Option(
            "must be a whole number of days, 0 or more",
            lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, DEFAULT_LOOKBACK_DAYS))
        options = {key: self._value(key, option) for key, option in spec.options.items()}
        for field_name in _URL_FIELD.findall(base_url if isinstance(base_url, str) else ""):
            if field_name in spec.options and options.get(field_name) is None:
                self.problem(field_name, f"required because base_url contains {{{field_name}}}")
        for field_name in sorted(spec.path_options - set(_URL_FIELD.findall(str(base_url)))):
            if field_name in spec.options and options.get(field_name) is None and field_name not in raw:
                self.problem(field_name, f"required: the {spec.name} endpoints' paths are built from it")
        endpoints = self._endpoints(spec)
        auth = self._auth(spec)
        if len(self.problems) > before:
            return None
        return Connection(
            name=name, source=spec.name, base_url=base_url, currency=currency, auth=auth,
            max_concurrency=max_concurrency, concurrency=1 if spec.serialized else max_concurrency,
            lookback_days=lookback, endpoints=endpoints, options=options,
        )

    def _value(self, key: str, option: Option, source: Mapping[str, Any] | None = None, prefix: str = "") -> Any:
        source = self.raw if source is None else source
        if key not in source:
            return option.default
        value = source[key]
        if not option.check(value):
            self.problem(prefix + key, option.expects)
            return None
        return option.convert(value)

    def _endpoints(self, spec: ConnectionSpec) -> tuple[str, ...] | None:
        key = spec.endpoint_option
        if not key or key not in self.raw:
            return None
        chosen = self.raw[key]
        if not isinstance(chosen, list) or not chosen or any(item not in spec.endpoint_names for item in chosen):
            self.problem(key, f"a non-empty list of {', '.join(spec.endpoint_names)}")
            return None
        return tuple(chosen)

    def _auth(self, spec: ConnectionSpec) -> Auth | None:
        auth = self.raw.get("auth")
        if not isinstance(auth, dict):
            self.problem("auth", "required, a mapping")
            return None
        auth, modes = dict(auth), spec.auth_modes
        mode = auth.pop("mode", None)
        if spec.explicit_mode:
            if mode not in modes:
                self.problem("auth.mode", f"required, {' or '.join(modes)}")
                return None
        elif mode is not None:
            self.problem("auth.mode", f"unknown key for a {spec.name} connection")
            return None
        else:
            mode = next((m for m, shape in modes.items() if shape.env_keys[0] in auth), next(iter(modes)))
        shape = modes[mode]
        described = f"{spec.name} auth" + (f" mode {mode}" if spec.explicit_mode else "")
        for key in sorted(set(auth) - set(shape.env_keys) - set(shape.settings)):
            self.problem(f"auth.{key}", f"unknown key for {described}")
        secrets: dict[str, Secret] = {}
        for name, key in zip(shape.secrets, shape.env_keys, strict=True):
            variable = auth.get(key)
            if not isinstance(variable, str) or not variable:
                self.problem(f"auth.{key}", "required, the name of an environment variable")
            elif not self.resolve_secrets:
                continue
            elif not self.env.get(variable):
                self.problem(f"auth.{key}", f"environment variable {variable} is not set")
            else:
                secrets[name] = Secret(self.env[variable])
        settings = {}
        for key, option in shape.settings.items():
            if key not in auth:
                self.problem(f"auth.{key}", option.expects)
            else:
                settings[key] = self._value(key, option, auth, prefix="auth.")
        return Auth(mode=mode, secrets=secrets, settings=settings)
