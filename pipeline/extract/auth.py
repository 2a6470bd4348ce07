"""Auth strategies: what each API wants on a request, and how to get it again when it expires."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.config import Connection

if TYPE_CHECKING:
    from pipeline.extract.http import Requester


class AuthSession(Protocol):
    path_prefix: str
    can_refresh: bool

    async def headers(self, requester: Requester) -> dict[str, str]: ...

    async def refresh(self, requester: Requester) -> None: ...

    def secrets(self) -> list[str]: ...

    def serialized(self, raw_dir: Path) -> contextlib.AbstractAsyncContextManager[None]: ...


class StaticSession:
    """Fixed headers; nothing to refresh; requests run in parallel."""

    can_refresh = False

    def __init__(self, connection: Connection, headers: dict[str, str], path_prefix: str = ""):
        self._headers, self.path_prefix, self._connection = headers, path_prefix, connection

    async def headers(self, requester: Requester) -> dict[str, str]:
        return self._headers

    async def refresh(self, requester: Requester) -> None:
        raise NotImplementedError

    def secrets(self) -> list[str]:
        return self._connection.secret_values()

    @contextlib.asynccontextmanager
    async def serialized(self, raw_dir: Path) -> AsyncIterator[None]:
        yield


@dataclass(frozen=True)
class TroyansysAuth:
    """user: Bearer token + X-Company-Id on /reports/...; company: X-API-Key on /company/reports/..."""

    def session(self, connection: Connection) -> AuthSession:
        auth = connection.auth
        if auth.mode == "company":
            return StaticSession(connection, {"X-API-Key": auth.secret("api_key")}, path_prefix="/company")
        headers = {"Authorization": f"Bearer {auth.secret('token')}", "X-Company-Id": str(auth.company_id)}
        return StaticSession(connection, headers)


@dataclass(frozen=True)
class BearerKey:
    """`Authorization: Bearer {api_key}` (SmartPyme)."""

    def session(self, connection: Connection) -> AuthSession:
        return StaticSession(connection, {"Authorization": f"Bearer {connection.auth.secret('api_key')}"})


class OneRequestPerToken(StaticSession):
    """The token may carry one request at a time, across assets and processes: an OS file lock per token
    is held for the duration of each request."""

    def __init__(self, connection: Connection, headers: dict[str, str], token: str):
        super().__init__(connection, headers)
        self._lock_name = f"serpi-{hashlib.sha256(token.encode()).hexdigest()[:16]}.lock"

    @contextlib.asynccontextmanager
    async def serialized(self, raw_dir: Path) -> AsyncIterator[None]:
        lock_dir = Path(raw_dir) / ".locks"
        lock_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_dir / self._lock_name, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock


@dataclass(frozen=True)
class SerpiKeys:
    """`secretkey: {secret}` and `Authorization: Bearer {token}`, one request in flight per token."""

    def session(self, connection: Connection) -> AuthSession:
        token = connection.auth.secret("token")
        headers = {"secretkey": connection.auth.secret("secret_key"), "Authorization": f"Bearer {token}"}
        return OneRequestPerToken(connection, headers, token)


_login_tokens: dict[tuple[str, str, str], str] = {}
_login_guard = threading.Lock()


class LoginSession(StaticSession):
    """POST /login once, cache the token per (base URL, user) in this process, log in again on a 401."""

    can_refresh = True

    def __init__(self, connection: Connection, login_path: str):
        super().__init__(connection, {})
        self._login_path = login_path
        auth = connection.auth
        password = hashlib.sha256(auth.secret("password").encode()).hexdigest()
        self._cache_key = (connection.url, auth.secret("username"), password)
        self._token: str | None = None

    async def headers(self, requester: Requester) -> dict[str, str]:
        if self._token is None:
            with _login_guard:
                self._token = _login_tokens.get(self._cache_key)
            if self._token is None:
                await self.refresh(requester)
        return {"Authorization": f"Bearer {self._token}"}

    async def refresh(self, requester: Requester) -> None:
        auth = self._connection.auth
        body = {"username": auth.secret("username"), "password": auth.secret("password")}
        reply = await requester.login(self._login_path, body)
        envelope = reply.json() or {}
        token = (envelope.get("body") or {}).get("token") if isinstance(envelope, dict) else None
        if not isinstance(token, str) or not token:
            requester.fail_login(reply)
        self._token = token
        with _login_guard:
            _login_tokens[self._cache_key] = token

    def secrets(self) -> list[str]:
        return [*super().secrets(), *([self._token] if self._token else [])]


@dataclass(frozen=True)
class ArrendasoftAuth:
    """Login (username/password -> Bearer token, refreshed on 401) or a fixed Bearer token."""

    login_path: str = "/login"

    def session(self, connection: Connection) -> AuthSession:
        if connection.auth.mode == "token":
            return StaticSession(connection, {"Authorization": f"Bearer {connection.auth.secret('token')}"})
        return LoginSession(connection, self.login_path)
