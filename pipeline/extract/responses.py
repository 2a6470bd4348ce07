"""What to do with a response, as a table of rules (Airbyte's error handler, in small).

Rules are checked in order: an endpoint's own, then its source's, then DEFAULT_RULES; the first match wins.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import orjson

from pipeline.extract import errors


class Action(Enum):
    SUCCESS = "success"
    EMPTY = "empty"  # a valid answer meaning "no records"
    RETRY = "retry"  # transient: back off and try again
    RATE_LIMITED = "rate_limited"  # transient: wait Retry-After when given
    REAUTH = "reauth"  # refresh the credentials, then retry once
    SPLIT = "split"  # the window is too large: the paginator splits it
    FAIL = "fail"


_UNPARSED = object()


@dataclass
class Reply:
    status: int
    headers: Any
    content: bytes
    url: str
    _json: Any = field(default=_UNPARSED, repr=False)

    def json(self) -> Any:
        """The body parsed with orjson, or None when it is not JSON (truncated, invalid, empty)."""
        if self._json is _UNPARSED:
            try:
                self._json = orjson.loads(self.content) if self.content else None
            except orjson.JSONDecodeError:
                self._json = None
        return self._json

    @property
    def retry_after(self) -> float | None:
        """Seconds to wait: Retry-After as a number of seconds or as an HTTP date (RFC 9110); None if absent
        or unreadable."""
        value = self.headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:  # "-0000": UTC by RFC 5322
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())

    def envelope(self, key: str) -> Any:
        body = self.json()
        return body.get(key) if isinstance(body, dict) else None


@dataclass(frozen=True)
class Rule:
    when: Callable[[Reply], bool]
    action: Action
    error: type[errors.ExtractionError] = errors.UnexpectedResponse
    reason: str = ""


def status_is(*codes: int) -> Callable[[Reply], bool]:
    return lambda reply: reply.status in codes


def is_success(reply: Reply) -> bool:
    return 200 <= reply.status < 300


def is_server_error(reply: Reply) -> bool:
    return reply.status >= 500


def body_not_json(reply: Reply) -> bool:
    return is_success(reply) and reply.json() is None


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(status_is(429), Action.RATE_LIMITED, errors.RetriesExhausted, "rate limited"),
    Rule(status_is(401), Action.REAUTH, errors.AuthFailed, "credentials refused"),
    Rule(status_is(403), Action.FAIL, errors.Forbidden, "forbidden: module or tenant not contracted"),
    Rule(status_is(400, 404, 405, 422), Action.FAIL, errors.RequestRejected, "request rejected"),
    Rule(is_server_error, Action.RETRY, errors.RetriesExhausted, "server error"),
    Rule(status_is(204), Action.EMPTY),
    Rule(body_not_json, Action.RETRY, errors.RetriesExhausted, "body is not complete JSON"),
    Rule(is_success, Action.SUCCESS),
)


def classify(reply: Reply, rules: tuple[Rule, ...]) -> Rule:
    for rule in (*rules, *DEFAULT_RULES):
        if rule.when(reply):
            return rule
    return Rule(lambda _: True, Action.FAIL, errors.UnexpectedResponse, "unexpected status")
