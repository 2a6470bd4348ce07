"""Auth strategies a source picks from, parameterised by its description: what goes on each request, and how
to get it again when it expires. A strategy also declares its shape (credentials and settings) so the
connections file can be validated against it. No strategy sends requests itself: a login is sent through the
callable the engine hands to `refresh`.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
import string
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline.config import AuthShape, Connection, Option
from pipeline.extract.paths import dig
from pipeline.extract.responses import Reply

# Sends a login body to a path (no auth headers, retried like any request) and returns the reply.
Login = Callable[[str, dict[str, str]], Awaitable[Reply]]


class LoginRefused(Exception):
    """The login answered without a token; carries the reply for the error message."""

    def __init__(self, reply: Reply):
        super().__init__("login refused")
        self.reply = reply


class AuthSession(Protocol):
    path_prefix: str
    can_refresh: bool

    async def headers(self, login: Login) -> dict[str, str]: ...

    async def refresh(self, login: Login) -> None: ...

    def secrets(self) -> list[str]: ...


class LoginTokens:
    """The tokens logins returned, by (base URL, login path, digest of the credentials). The engine's callers
    keep one per run (pipeline.extract.engine.RunCache): every partition of the run reuses its connection's
    token, and a 401 replaces it."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, ...], str] = {}
        self._guard = threading.Lock()

    def get(self, key: tuple[str, ...]) -> str | None:
        with self._guard:
            return self._tokens.get(key)

    def put(self, key: tuple[str, ...], token: str) -> None:
        with self._guard:
            self._tokens[key] = token


class AuthStrategy(Protocol):
    @property
    def shape(self) -> AuthShape: ...

    def session(self, connection: Connection, tokens: LoginTokens) -> AuthSession: ...


def _placeholders(*templates: str) -> tuple[str, ...]:
    names: list[str] = []
    for template in templates:
        names += [name for _, name, _, _ in string.Formatter().parse(template) if name and name not in names]
    return tuple(names)


def _values(connection: Connection) -> dict[str, Any]:
    return {**connection.auth.settings, **{name: s.get() for name, s in connection.auth.secrets.items()}}


class StaticSession:
    """Fixed headers; nothing to refresh."""

    can_refresh = False

    def __init__(self, connection: Connection, headers: dict[str, str], path_prefix: str = ""):
        self._headers, self.path_prefix, self._connection = headers, path_prefix, connection

    async def headers(self, login: Login) -> dict[str, str]:
        return self._headers

    async def refresh(self, login: Login) -> None:
        raise NotImplementedError

    def secrets(self) -> list[str]:
        return self._connection.secret_values()


@dataclass(frozen=True)
class HeaderAuth:
    """Headers from templates, e.g. `{"Authorization": "Bearer {api_key}"}`. A placeholder is a credential
    (the connections file names its environment variable, `api_key_env`) unless it is one of `settings`
    (a plain value in the file, e.g. a company id). `path_prefix` goes before every endpoint path."""

    headers: Mapping[str, str]
    settings: Mapping[str, Option] = field(default_factory=dict)
    path_prefix: str = ""

    @property
    def shape(self) -> AuthShape:
        secrets = tuple(n for n in _placeholders(*self.headers.values()) if n not in self.settings)
        return AuthShape(secrets=secrets, settings=self.settings)

    def session(self, connection: Connection, tokens: LoginTokens) -> AuthSession:
        values = _values(connection)
        headers = {name: template.format_map(values) for name, template in self.headers.items()}
        return StaticSession(connection, headers, self.path_prefix)


class LoginSession(StaticSession):
    """Logs in once per (base URL, credentials) in a run (`tokens`), and again after a 401."""

    can_refresh = True

    def __init__(self, connection: Connection, strategy: LoginForToken, tokens: LoginTokens):
        super().__init__(connection, {})
        self._strategy, self._tokens = strategy, tokens
        values = _values(connection)
        self._body = {name: template.format_map(values) for name, template in strategy.body.items()}
        digest = hashlib.sha256(repr(sorted(self._body.items())).encode()).hexdigest()
        self._cache_key = (connection.url, strategy.path, digest)
        self._token: str | None = None

    async def headers(self, login: Login) -> dict[str, str]:
        if self._token is None:
            self._token = self._tokens.get(self._cache_key)
            if self._token is None:
                await self.refresh(login)
        return {name: template.format(token=self._token) for name, template in self._strategy.headers.items()}

    async def refresh(self, login: Login) -> None:
        reply = await login(self._strategy.path, self._body)
        token = dig(reply.json(), self._strategy.token)
        if not isinstance(token, str) or not token:
            raise LoginRefused(reply)
        self._token = token
        self._tokens.put(self._cache_key, token)

    def secrets(self) -> list[str]:
        return [*super().secrets(), *([self._token] if self._token else [])]


@dataclass(frozen=True)
class LoginForToken:
    """POST `body` (templates over the credentials) to `path`, read the token at the dotted path `token` of
    the answer, send it in `headers` (`{token}`); a 401 means one fresh login and one retry."""

    path: str
    body: Mapping[str, str]
    token: str
    headers: Mapping[str, str] = field(default_factory=lambda: {"Authorization": "Bearer {token}"})

    @property
    def shape(self) -> AuthShape:
        return AuthShape(secrets=_placeholders(*self.body.values()))

    def session(self, connection: Connection, tokens: LoginTokens) -> AuthSession:
        return LoginSession(connection, self, tokens)


class CredentialGate:
    """One request in flight per credential, across assets and processes: an OS file lock, named by the
    source and a digest of the connection's credentials, held for the duration of each request."""

    def __init__(self, lock_dir: Path, source: str, connection: Connection):
        digest = hashlib.sha256("\0".join(sorted(connection.secret_values())).encode()).hexdigest()[:16]
        self._path = Path(lock_dir) / f"{source}-{digest}.lock"

    @contextlib.asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock


class NoGate:
    """Requests run in parallel."""

    @contextlib.asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        yield
