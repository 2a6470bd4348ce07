"""One request, sent well: auth headers, the per-credential gate, the response rules, bounded retries with
exponential backoff and jitter that honour Retry-After, and redaction of every secret from what leaves."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from pipeline.config import Connection, RetryPolicy
from pipeline.extract import errors
from pipeline.extract.auth import AuthSession, CredentialGate, LoginRefused, NoGate
from pipeline.extract.responses import Action, Reply, Rule, classify

log = logging.getLogger(__name__)

EXCERPT_CHARS = 300


class Transient(Exception):
    """A failure worth retrying; carries what the final error will say if retries run out."""

    def __init__(self, reason: str, reply: Reply | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.reason, self.reply, self.retry_after = reason, reply, retry_after


@dataclass
class Outcome:
    action: Action  # SUCCESS, EMPTY or SPLIT; failures raise
    reply: Reply
    attempts: int
    elapsed_ms: int


def make_client(connection: Connection, policy: RetryPolicy) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connection.concurrency + 2, max_keepalive_connections=8)
    return httpx.AsyncClient(timeout=httpx.Timeout(policy.timeout, connect=10.0), limits=limits)


class Requester:
    """Sends the requests of one endpoint of one connection. `label` is `source/endpoint`; `forbidden_hint`
    is added to a 403's message (what in the connections file turns the endpoint off)."""

    def __init__(self, client: httpx.AsyncClient, connection: Connection, label: str, session: AuthSession,
                 policy: RetryPolicy, rules: tuple[Rule, ...], gate: CredentialGate | NoGate,
                 forbidden_hint: str = ""):
        self.client, self.connection, self.label = client, connection, label
        self.session, self.policy, self.rules, self.gate = session, policy, rules, gate
        self.forbidden_hint = forbidden_hint
        self.retries = 0

    def redact(self, text: str) -> str:
        for secret in sorted(self.session.secrets(), key=len, reverse=True):
            if secret:
                text = text.replace(secret, "***")
        return text

    def url_for(self, path: str, params: dict[str, Any] | None = None, prefix: bool = True) -> str:
        url = self.connection.url + (self.session.path_prefix if prefix else "") + path
        return f"{url}?{urlencode(params)}" if params else url

    def _retrying(self) -> AsyncRetrying:
        return AsyncRetrying(stop=stop_after_attempt(self.policy.attempts), wait=self._wait,
                             retry=retry_if_exception_type(Transient), before_sleep=self._log_retry, reraise=True)

    async def send(
        self, method: str, path: str, params: dict[str, Any] | None = None, json: Any = None
    ) -> Outcome:
        """Send until the rules say success, empty or split; raise an ExtractionError otherwise."""
        started = time.monotonic()
        attempts = 0
        refreshed = False
        url = self.url_for(path, params)
        try:
            async for attempt in self._retrying():
                with attempt:
                    attempts += 1
                    if attempts > 1:
                        self.retries += 1
                    reply = await self._send_once(method, url, json)
                    rule = classify(reply, self.rules)
                    if rule.action is Action.REAUTH and self.session.can_refresh and not refreshed:
                        refreshed = True
                        await self._refresh()
                        raise Transient("credentials expired; logged in again", reply, retry_after=0)
                    if rule.action is not Action.REAUTH:
                        refreshed = False
                    if rule.action in (Action.RETRY, Action.RATE_LIMITED):
                        wait = reply.retry_after if rule.action is Action.RATE_LIMITED or reply.retry_after is not None else None
                        raise Transient(f"{rule.reason}: HTTP {reply.status}", reply, retry_after=wait)
                    if rule.action in (Action.FAIL, Action.REAUTH):
                        raise self._error(rule.error, reply, rule.reason)
        except Transient as exc:
            reason = f"{exc.reason} after {attempts} attempts"
            if exc.reply is None:
                raise errors.RetriesExhausted(self.connection.name, self.label, url=self.redact(url),
                                              reason=reason) from None
            raise self._error(errors.RetriesExhausted, exc.reply, reason) from None
        elapsed_ms = int((time.monotonic() - started) * 1000)
        return Outcome(rule.action, reply, attempts, elapsed_ms)

    async def _send_once(self, method: str, url: str, json: Any) -> Reply:
        headers = {"Accept": "application/json", **await self._headers()}
        try:
            async with self.gate.hold():
                response = await self.client.request(method, url, headers=headers, json=json)
        except httpx.TransportError as exc:
            # timeouts, refused or dropped connections, bodies cut short of their Content-Length
            raise Transient(f"{type(exc).__name__}: {self.redact(str(exc))[:200]}") from None
        return Reply(response.status_code, response.headers, response.content, url)

    async def _headers(self) -> dict[str, str]:
        try:
            return await self.session.headers(self.login)
        except LoginRefused as refused:
            raise self._error(errors.AuthFailed, refused.reply, "login refused") from None

    async def _refresh(self) -> None:
        try:
            await self.session.refresh(self.login)
        except LoginRefused as refused:
            raise self._error(errors.AuthFailed, refused.reply, "login refused") from None

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Transient) and exc.retry_after is not None:
            return min(exc.retry_after, self.policy.max_retry_after)
        policy = self.policy
        return wait_exponential_jitter(multiplier=policy.initial_wait, jitter=policy.initial_wait, max=policy.max_wait)(state)

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        reason = exc.reason if isinstance(exc, Transient) else type(exc).__name__
        url = exc.reply.url if isinstance(exc, Transient) and exc.reply else ""
        wait = state.next_action.sleep if state.next_action else 0.0
        log.warning("%s %s: %s%s; attempt %d of %d failed, retrying in %.1f s", self.connection.name, self.label,
                    reason, self.redact(f" at {url}") if url else "", state.attempt_number, self.policy.attempts,
                    wait)

    def _error(self, kind: type[errors.ExtractionError], reply: Reply, reason: str) -> errors.ExtractionError:
        excerpt = reply.content[:EXCERPT_CHARS].decode("utf-8", "replace").replace("\n", " ")
        return kind(
            self.connection.name, self.label, status=reply.status, url=self.redact(reply.url),
            excerpt=self.redact(excerpt), reason="" if kind in _PLAIN else reason,
            hint=self.forbidden_hint if kind is errors.Forbidden else "",
        )

    async def login(self, path: str, body: dict[str, str]) -> Reply:
        """POST a login body without auth headers, with the same retries as any request."""
        url = self.url_for(path, prefix=False)
        try:
            async for attempt in self._retrying():
                with attempt:
                    try:
                        response = await self.client.post(url, json=body, headers={"Accept": "application/json"})
                    except httpx.TransportError as exc:
                        raise Transient(f"login: {type(exc).__name__}") from None
                    reply = Reply(response.status_code, response.headers, response.content, url)
                    if reply.status >= 500 or reply.status == 429 or (reply.status < 300 and reply.json() is None):
                        raise Transient(f"login failed: HTTP {reply.status}", reply, reply.retry_after)
        except Transient as exc:
            raise errors.RetriesExhausted(self.connection.name, self.label, url=self.redact(url),
                                          reason=exc.reason) from None
        return reply


_PLAIN = (errors.AuthFailed, errors.Forbidden, errors.RequestRejected)
