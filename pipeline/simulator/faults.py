"""Switchable faults: what they are, how they are scoped, and the ASGI middleware that applies the generic ones.

A fault is `{"name": ..., "value": ..., "source": optional, "path": optional substring}`. Counted faults
("next N") fire on the next N matching requests and then stop; rates draw from an RNG seeded by the world
seed. Source-specific faults (serpi_*, arrendasoft_*, shift_*) are read by that source's routes.

Names: latency_ms, error_5xx_rate, fail_next_5xx, burst_503, rate_429, retry_after_s, drop_next,
truncate_next, invalid_json_next, serpi_no_records_form (alternate | http_204 | invalid_json_body),
serpi_max_documents, serpi_latency_ms, arrendasoft_envelope_error_next, arrendasoft_token_max_uses,
shift_inserts, shift_updates, and the schema-drift mode (an API that changed without notice, applied to every
object of every answer that has the field, records and their lines alike): drift_rename ("old=new"),
drift_remove ("field"), drift_retype ("field": a number becomes text with a decimal comma, text an object).
"""

import asyncio
import json
import random
from decimal import Decimal
from typing import Any

from .encoding import dumps

COUNTED = {"fail_next_5xx", "burst_503", "rate_429", "drop_next", "truncate_next", "invalid_json_next",
           "arrendasoft_envelope_error_next"}
DRIFT = ("drift_rename", "drift_remove", "drift_retype")
KNOWN = COUNTED | {"latency_ms", "error_5xx_rate", "retry_after_s", "serpi_no_records_form",
                   "serpi_max_documents", "serpi_latency_ms", "arrendasoft_token_max_uses", "shift_inserts",
                   "shift_updates", *DRIFT}
DEFAULTS: dict[str, Any] = {"serpi_no_records_form": "alternate", "serpi_max_documents": 2000,
                            "serpi_latency_ms": 10, "retry_after_s": 1}


def parse_cli_fault(text: str) -> dict:
    """`[source[:path]:]name=value` -> fault spec (`serpi:fail_next_5xx=2`, `latency_ms=20`)."""
    key, _, value = text.partition("=")
    parts = key.split(":")
    spec: dict[str, Any] = {"name": parts[-1], "value": _number(value)}
    if len(parts) >= 2:
        spec["source"] = parts[0]
    if len(parts) >= 3:
        spec["path"] = ":".join(parts[1:-1])
    return spec


def _number(value: Any) -> Any:
    if isinstance(value, str):
        for cast in (int, float):
            try:
                return cast(value)
            except ValueError:
                pass
    return value


def normalize(faults: dict | list | None) -> list[dict]:
    """Accepts a list of specs, or `{name: value, ..., "source": s, "path": p}` applying to all names."""
    if not faults:
        return []
    if isinstance(faults, dict):
        scope = {k: faults[k] for k in ("source", "path") if k in faults}
        faults = [{"name": k, "value": v, **scope} for k, v in faults.items() if k not in ("source", "path")]
    specs = []
    for spec in faults:
        if spec.get("name") not in KNOWN:
            raise ValueError(f"unknown fault {spec.get('name')!r}; known: {sorted(KNOWN)}")
        specs.append({**spec, "value": _number(spec.get("value"))})
    return specs


class Faults:
    def __init__(self, seed: int, initial: dict | list | None = None):
        self.rng = random.Random(seed)
        self.specs: list[dict] = normalize(initial)
        self.fired: dict[str, int] = {}

    def set(self, faults: dict | list) -> None:
        new = normalize(faults)
        names = {(s["name"], s.get("source"), s.get("path")) for s in new}
        self.specs = [s for s in self.specs if (s["name"], s.get("source"), s.get("path")) not in names] + new

    def clear(self) -> None:
        self.specs = []

    def _matching(self, name: str, source: str | None, path: str) -> dict | None:
        for spec in self.specs:
            if spec["name"] != name:
                continue
            if spec.get("source") and spec["source"] != source:
                continue
            if spec.get("path") and spec["path"] not in path:
                continue
            return spec
        return None

    def value(self, name: str, source: str | None = None, path: str = "") -> Any:
        spec = self._matching(name, source, path)
        return spec["value"] if spec is not None else DEFAULTS.get(name)

    def take(self, name: str, source: str | None = None, path: str = "") -> bool:
        """Consume one shot of a counted fault; True when it fires."""
        for spec in self.specs:
            if spec["name"] != name or not spec["value"]:
                continue
            if spec.get("source") and spec["source"] != source:
                continue
            if spec.get("path") and spec["path"] not in path:
                continue
            spec["value"] = int(spec["value"]) - 1
            self.fired[name] = self.fired.get(name, 0) + 1
            return True
        return False

    def chance(self, name: str, source: str | None, path: str) -> bool:
        rate = self.value(name, source, path)
        if rate and self.rng.random() < float(rate):
            self.fired[name] = self.fired.get(name, 0) + 1
            return True
        return False

    def note(self, name: str) -> None:
        self.fired[name] = self.fired.get(name, 0) + 1

    def as_list(self) -> list[dict]:
        return [dict(s) for s in self.specs]


def error_body(source: str, status: int, message: str) -> bytes:
    """An error body shaped like the source's own error envelope."""
    if source == "smartpyme":
        return dumps({"success": False, "error": {"code": f"HTTP_{status}", "message": message, "details": {}}})
    if source == "serpi":
        return dumps({"success": False, "code": status, "errors": [message], "message": message, "result": None})
    if source == "arrendasoft":
        return dumps({"status": status, "message": message, "body": []})
    return dumps({"message": message})


def _cycle(receive: Any) -> Any:
    """uvicorn's request cycle behind `receive` (its transport lets us drop a connection)."""
    return getattr(receive, "__self__", None)


async def _drop(receive: Any) -> None:
    cycle = _cycle(receive)
    if cycle is not None and getattr(cycle, "transport", None) is not None:
        cycle.disconnected = True
        cycle.transport.close()
        return
    raise ConnectionAbortedError("dropped by fault")


class FaultMiddleware:
    """Applies latency, 5xx, 503 bursts, 429, dropped connections, truncated and invalid bodies."""

    def __init__(self, app: Any, world: Any):
        self.app, self.world = app, world

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith("/_control"):
            await self.app(scope, receive, send)
            return
        faults = self.world.faults
        source = path.split("/")[1] if path.count("/") >= 1 else ""
        latency = faults.value("latency_ms", source, path)
        if latency:
            await asyncio.sleep(float(latency) / 1000)
        if faults.take("drop_next", source, path):
            await _drop(receive)
            return
        retry_after = str(faults.value("retry_after_s", source, path))
        if faults.take("fail_next_5xx", source, path) or faults.chance("error_5xx_rate", source, path):
            status = 500 if faults.rng.random() < 0.5 else 502
            await _send(send, status, error_body(source, status, "Error interno del servidor"))
            return
        if faults.take("burst_503", source, path):
            await _send(send, 503, error_body(source, 503, "Servicio no disponible temporalmente"),
                        [(b"retry-after", retry_after.encode())])
            return
        if faults.take("rate_429", source, path):
            await _send(send, 429, error_body(source, 429, "Demasiadas solicitudes"),
                        [(b"retry-after", retry_after.encode())])
            return
        truncate = faults.take("truncate_next", source, path)
        invalid = not truncate and faults.take("invalid_json_next", source, path)
        drift = {name: faults.value(name, source, path) for name in DRIFT if faults.value(name, source, path)}
        if not (truncate or invalid or drift):
            await self.app(scope, receive, send)
            return
        captured: dict[str, Any] = {"body": b""}

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                captured["start"] = message
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")

        await self.app(scope, receive, capture)
        start, body = captured["start"], captured["body"]
        if drift:
            body = drifted(body, drift)
            faults.note("schema_drift")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        if drift and not (truncate or invalid):
            await _send(send, start["status"], body, headers)
            return
        if invalid:
            body = b'{"data": [<html><body>Upstream error</body></html>'
            await _send(send, start["status"], body, headers)
            return
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
        await _drop(receive)


def drifted(body: bytes, drift: dict[str, Any]) -> bytes:
    """The answer as an API that changed without notice would send it (exact numbers kept)."""
    try:
        document = json.loads(body, parse_float=Decimal)
    except ValueError:
        return body  # not JSON (e.g. SERPI's no-records form): nothing to change
    rename = dict(pair.split("=", 1) for pair in str(drift.get("drift_rename") or "").split(",") if "=" in pair)
    remove = {name for name in str(drift.get("drift_remove") or "").split(",") if name}
    retype = {name for name in str(drift.get("drift_retype") or "").split(",") if name}
    return dumps(_change(document, rename, remove, retype))


def _change(value: Any, rename: dict[str, str], remove: set[str], retype: set[str]) -> Any:
    if isinstance(value, list):
        return [_change(item, rename, remove, retype) for item in value]
    if not isinstance(value, dict):
        return value
    changed = {}
    for key, item in value.items():
        if key in remove:
            continue
        item = _change(item, rename, remove, retype)
        if key in retype:
            item = format(item, "f").replace(".", ",") if isinstance(item, (Decimal, int)) and not isinstance(
                item, bool) else {"value": item}
        changed[rename.get(key, key)] = item
    return changed


async def _send(send: Any, status: int, body: bytes, headers: list | None = None) -> None:
    all_headers = [(k, v) for k, v in (headers or []) if k.lower() not in (b"content-length", b"content-type")]
    all_headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": body})
