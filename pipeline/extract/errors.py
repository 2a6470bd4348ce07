"""Extraction failures as types whose messages a person can act on (credentials already redacted)."""

from __future__ import annotations


class ExtractionError(Exception):
    """`{connection} {source}/{endpoint}: HTTP {status} at {url}: {excerpt} -- {hint}` (or a reason instead of
    HTTP); the hint says what a person can do about it."""

    def __init__(
        self,
        connection: str,
        endpoint: str,
        *,
        status: int | None = None,
        url: str = "",
        excerpt: str = "",
        reason: str = "",
        hint: str = "",
    ):
        self.connection, self.endpoint, self.status = connection, endpoint, status
        self.url, self.excerpt, self.reason, self.hint = url, excerpt, reason, hint
        what = f"HTTP {status}" if status is not None else (reason or "failed")
        text = f"{connection} {endpoint}: {what}"
        if status is not None and reason:
            text += f" ({reason})"
        if url:
            text += f" at {url}"
        if excerpt:
            text += f": {excerpt}"
        if hint:
            text += f" -- {hint}"
        super().__init__(text)


class AuthFailed(ExtractionError):
    """401: the credentials were refused (after one fresh login where the auth can log in)."""


class Forbidden(ExtractionError):
    """403: module or tenant not contracted; the connection's other endpoints keep working."""


class RequestRejected(ExtractionError):
    """400/404/422: the API refused the request itself; retrying cannot help."""


class RetriesExhausted(ExtractionError):
    """A transient failure (5xx, 429, timeout, dropped connection, bad body) outlasted every retry."""


class WindowTooLarge(ExtractionError):
    """The API refused a window as too large and it cannot be split any further."""


class Incomplete(ExtractionError):
    """Repeated passes kept finding records the earlier ones missed, and still could not land them all."""


class UnexpectedResponse(ExtractionError):
    """A response none of the rules expects."""
