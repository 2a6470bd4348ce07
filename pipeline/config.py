"""The connections file: load it, validate it, resolve its secrets from the environment.

The format is the operations contract's (/work/shared/docs/operations-contract.md). Validation is by hand so
that a wrong file is refused with exactly one message per problem, each naming the connection and the key.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_CONNECTIONS = DEMO_DIR / "connections.yaml"
DEMO_ENV = DEMO_DIR / "demo.env"

SOURCE_NAMES = ("troyansys", "smartpyme", "serpi", "arrendasoft")
TROYANSYS_REPORTS = ("dashboard", "sales", "inventory", "purchases", "accounting")
DEFAULT_DOCUMENTS_PATH = "/DocumentoContable/GetDocumentoContable"

_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COMMON_KEYS = {"name", "source", "base_url", "currency", "auth", "max_concurrency"}
_SOURCE_KEYS = {
    "troyansys": {"reports"},
    "smartpyme": {"lookback_days"},
    "serpi": {"documents_path", "document_types"},
    "arrendasoft": {"instance"},
}
# auth shapes per source: mode name -> (env-var keys, other keys)
_AUTH_SHAPES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "troyansys": {"company": (("api_key_env",), ()), "user": (("token_env",), ("company_id",))},
    "smartpyme": {"key": (("api_key_env",), ())},
    "serpi": {"keys": (("secret_key_env", "token_env"), ())},
    "arrendasoft": {"login": (("username_env", "password_env"), ()), "token": (("token_env",), ())},
}


class ConfigError(ValueError):
    """The connections file is wrong; str() lists every problem, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid connections file:\n  " + "\n  ".join(problems))


class Secret:
    """A credential value that never prints."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "'***'"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Auth:
    """Resolved auth of one connection. `mode` is company|user (troyansys), key (smartpyme), keys (serpi),
    login|token (arrendasoft); `secrets` maps a credential name (the env key without `_env`) to its value."""

    mode: str
    secrets: Mapping[str, Secret]
    company_id: int | None = None

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
    reports: tuple[str, ...] | None = None
    lookback_days: int = 30
    documents_path: str = DEFAULT_DOCUMENTS_PATH
    document_types: tuple[int, ...] | None = None
    instance: str | None = None

    @property
    def url(self) -> str:
        """base_url with `{instance}` substituted and no trailing slash."""
        url = self.base_url.replace("{instance}", self.instance or "")
        return url.rstrip("/")

    @property
    def concurrency(self) -> int:
        return 1 if self.source == "serpi" else self.max_concurrency

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
    warehouse: Path
    serving: Path
    path: Path | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def today(self) -> date:
        return datetime.now(ZoneInfo(self.timezone)).date()

    def connection(self, name: str) -> Connection:
        for connection in self.connections:
            if connection.name == name:
                return connection
        raise KeyError(name)


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Load and validate the connections file; refuse it with one ConfigError listing every problem."""
    env: dict[str, str] = dict(os.environ if environ is None else environ)
    if path is None and env.get("PIPELINE_CONNECTIONS"):
        path = Path(env["PIPELINE_CONNECTIONS"])
    if path is None:
        path = DEMO_CONNECTIONS
    path = Path(path)
    if path.resolve() == DEMO_CONNECTIONS.resolve():
        env = {**read_env_file(DEMO_ENV), **env}
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError([f"{path}: cannot read: {exc}"]) from None
    problems: list[str] = []
    settings = _parse_file(document, env, problems)
    if problems:
        raise ConfigError(problems)
    assert settings is not None
    return Settings(
        path=path,
        raw_dir=Path(env.get("PIPELINE_RAW_DIR") or "data/raw"),
        warehouse=Path(env.get("PIPELINE_WAREHOUSE") or "data/warehouse.duckdb"),
        serving=Path(env.get("PIPELINE_SERVING") or "data/serving.duckdb"),
        **settings,
    )


def _parse_file(document: Any, env: Mapping[str, str], problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(document, dict):
        problems.append("the file must be a mapping with start_date, timezone and connections")
        return None
    for key in sorted(set(document) - {"start_date", "timezone", "connections"}):
        problems.append(f"{key}: unknown key")
    start = document.get("start_date")
    if isinstance(start, str):
        with contextlib.suppress(ValueError):
            start = date.fromisoformat(start)
    if not isinstance(start, date) or isinstance(start, datetime):
        problems.append("start_date: required, a date YYYY-MM-DD")
        start = None
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
        connection = _parse_connection(raw, env, problems, label)
        if connection:
            connections.append(connection)
    return {"start_date": start, "timezone": str(timezone), "connections": tuple(connections)}


def _parse_connection(raw: Any, env: Mapping[str, str], problems: list[str], label: str) -> Connection | None:
    before = len(problems)

    def problem(key: str, text: str) -> None:
        problems.append(f"{label}: {key}: {text}")

    if not isinstance(raw, dict):
        problems.append(f"{label}: must be a mapping")
        return None
    name, source = raw.get("name"), raw.get("source")
    if not isinstance(name, str) or not _NAME.match(name):
        problem("name", "required; letters, digits and underscore only")
    if source not in SOURCE_NAMES:
        problem("source", f"required, one of {', '.join(SOURCE_NAMES)} (got {source!r})")
        return None
    for key in sorted(set(raw) - _COMMON_KEYS - _SOURCE_KEYS[source]):
        problem(key, f"unknown key for a {source} connection")
    base_url = raw.get("base_url")
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        problem("base_url", "required, an http(s) URL")
    currency = raw.get("currency")
    if not isinstance(currency, str) or not _CURRENCY.match(currency):
        problem("currency", "required, an ISO code of three upper-case letters")
    options: dict[str, Any] = {}
    concurrency = raw.get("max_concurrency", 4)
    if not _positive_int(concurrency):
        problem("max_concurrency", "must be a positive integer")
    options["max_concurrency"] = concurrency
    _parse_source_options(source, raw, base_url, options, problem)
    auth = _parse_auth(source, raw.get("auth"), env, problem)
    if len(problems) > before:
        return None
    return Connection(name=name, source=source, base_url=base_url, currency=currency, auth=auth, **options)


def _parse_source_options(source: str, raw: dict, base_url: Any, options: dict, problem) -> None:
    if source == "troyansys" and "reports" in raw:
        reports = raw["reports"]
        if not isinstance(reports, list) or not reports or any(r not in TROYANSYS_REPORTS for r in reports):
            problem("reports", f"a non-empty list of {', '.join(TROYANSYS_REPORTS)}")
        else:
            options["reports"] = tuple(reports)
    if source == "smartpyme":
        lookback = raw.get("lookback_days", 30)
        if not isinstance(lookback, int) or isinstance(lookback, bool) or lookback < 0:
            problem("lookback_days", "must be a whole number of days, 0 or more")
        options["lookback_days"] = lookback
    if source == "serpi":
        documents_path = raw.get("documents_path", DEFAULT_DOCUMENTS_PATH)
        if not isinstance(documents_path, str) or not documents_path.startswith("/"):
            problem("documents_path", "must be a path starting with /")
        options["documents_path"] = documents_path
        if "document_types" in raw:
            types = raw["document_types"]
            if not isinstance(types, list) or not types or not all(_positive_int(t) for t in types):
                problem("document_types", "a non-empty list of document type ids (integers)")
            else:
                options["document_types"] = tuple(types)
    if source == "arrendasoft":
        instance = raw.get("instance")
        if instance is not None and (not isinstance(instance, str) or not re.match(r"^[A-Za-z0-9-]+$", instance)):
            problem("instance", "letters, digits and hyphen only")
        elif instance is None and isinstance(base_url, str) and "{instance}" in base_url:
            problem("instance", "required because base_url contains {instance}")
        options["instance"] = instance


def _parse_auth(source: str, auth: Any, env: Mapping[str, str], problem) -> Auth | None:
    shapes = _AUTH_SHAPES[source]
    if not isinstance(auth, dict):
        problem("auth", "required, a mapping")
        return None
    auth = dict(auth)
    mode = auth.pop("mode", None)
    if source == "troyansys":
        if mode not in shapes:
            problem("auth.mode", "required, company or user")
            return None
    elif mode is not None:
        problem("auth.mode", f"unknown key for a {source} connection")
        return None
    else:
        candidates = [m for m, (envs, _) in shapes.items() if envs[0] in auth]
        mode = candidates[0] if candidates else next(iter(shapes))
    env_keys, other_keys = shapes[mode]
    for key in sorted(set(auth) - set(env_keys) - set(other_keys)):
        problem(f"auth.{key}", f"unknown key for {source} auth{' mode ' + mode if source == 'troyansys' else ''}")
    secrets: dict[str, Secret] = {}
    for key in env_keys:
        variable = auth.get(key)
        if not isinstance(variable, str) or not variable:
            problem(f"auth.{key}", "required, the name of an environment variable")
        elif not env.get(variable):
            problem(f"auth.{key}", f"environment variable {variable} is not set")
        else:
            secrets[key.removesuffix("_env")] = Secret(env[variable])
    company_id = auth.get("company_id")
    if "company_id" in other_keys and not _positive_int(company_id):
        problem("auth.company_id", "required, a positive integer")
    return Auth(mode=mode, secrets=secrets, company_id=company_id)


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
