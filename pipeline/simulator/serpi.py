"""SERPI ERP: GET /DocumentoContable/GetTipoDocumento (paged by Límite/Página) and
POST /DocumentoContable/GetDocumentoContable (whole window, no paging).

No records is answered in one of two forms, chosen per request by the `serpi_no_records_form` fault
(`http_204`: HTTP 204 with an empty body; `invalid_json_body`: HTTP 200 with NO_RECORDS_INVALID_JSON, the
vendor document's body byte for byte with its line breaks (LF) and its trailing comma; `alternate`, the
default: http_204 first, then invalid_json_body, and so on). A window holding more documents than
`serpi_max_documents` (default 2000) gets 503 without Retry-After. A request on a token that already has a
request in flight gets 429 `Token en uso` (TokenGate, always on); every request holds its token for
`serpi_latency_ms` (default 10 ms) so overlaps are visible. Documents are ordered by fechaDocumento, then id.
"""

import asyncio
import unicodedata
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import changes
from .catalog import SERPI_DOCUMENT_TYPES
from .encoding import dumps
from .generator import SERPI_TYPE_ID
from .responses import bearer, body_page, count_request, parse_date, raw
from .tenants import Tenant, tenants_of

BASE = "/serpi/api/v1"
TYPES_PATH = f"{BASE}/DocumentoContable/GetTipoDocumento"
DOCUMENTS_PATH = f"{BASE}/DocumentoContable/GetDocumentoContable"
NO_RECORDS_INVALID_JSON = b'{\n"success": true,\n"code": 204,\n"message": "No se encontraron registros",\n}'
ALL_TYPE_IDS = frozenset(t[0] for t in SERPI_DOCUMENT_TYPES)
TOKEN_IN_USE = b'{"success": false, "code": 429, "message": "Token en uso"}'


def _envelope_error(status: int, message: str, errors: list[str]) -> Response:
    return raw(dumps({"success": False, "code": status, "errors": errors, "message": message, "result": None}),
               status)


def authenticate(request: Request) -> Tenant | Response:
    token, secret = bearer(request), request.headers.get("secretkey")
    tenant = next((t for t in tenants_of("serpi")
                   if token == t.credentials["token"] and secret == t.credentials["secret"]), None)
    return tenant or _envelope_error(401, "No autorizado", ["Token o secretkey inválidos"])


def _too_large() -> Response:
    return _envelope_error(503, "El servidor no está disponible actualmente",
                           ["La consulta supera el máximo de documentos permitido; reduzca el rango"])


def _found(records: list[bytes]) -> bytes:
    head = b'{"success":true,"code":200,"errors":null,"message":"' + str(len(records)).encode() \
        + b' registro(s) encontrados","result":'
    return body_page(head, records, b"}")


def no_records(world, path: str) -> Response:
    form = world.faults.value("serpi_no_records_form", "serpi", path)
    if form == "alternate":
        form = "http_204" if world.serpi_no_records_served % 2 == 0 else "invalid_json_body"
    world.serpi_no_records_served += 1
    world.faults.note(f"serpi_no_records_{form}")
    if form == "http_204":
        return Response(b"", status_code=204)
    return raw(NO_RECORDS_INVALID_JSON, 200)


def _plain_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def make_handlers(world) -> tuple:
    async def document_types(request: Request) -> Response:
        tenant = authenticate(request)
        if isinstance(tenant, Response):
            return tenant
        count_request(world, "serpi", tenant.name)
        params = {_plain_key(k): v for k, v in request.query_params.items()}
        try:
            limit = int(params.get("limite", "100"))
            page = int(params.get("pagina", "1"))
        except ValueError:
            return _envelope_error(400, "Solicitud inválida", ["Límite y Página deben ser enteros"])
        if limit < 1 or page < 1:
            return _envelope_error(400, "Solicitud inválida", ["Límite y Página deben ser mayores que cero"])
        rows = [{"id": i, "categoriaDocumento": c, "prefijo": p, "descripcion": d}
                for i, c, p, d in SERPI_DOCUMENT_TYPES][(page - 1) * limit: page * limit]
        if not rows:
            return no_records(world, request.url.path)
        return raw(_found([dumps(r) for r in rows]))

    async def documents(request: Request) -> Response:
        tenant = authenticate(request)
        if isinstance(tenant, Response):
            return tenant
        count_request(world, "serpi", tenant.name)
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _envelope_error(400, "Solicitud inválida", ["El cuerpo de la solicitud no es JSON válido"])
        query, errors = _document_query(body)
        if errors:
            return _envelope_error(400, "Solicitud inválida", errors)
        types, start, end, low, high = query
        limit = int(world.faults.value("serpi_max_documents", "serpi", request.url.path))
        if low is None and high is None and types >= ALL_TYPE_IDS \
                and world.count("serpi", tenant.name, "documents", start, end) > limit:
            return _too_large()
        selection = world.select(
            "serpi", tenant.name, "documents", start=start, end=end, key=(types, low, high),
            match=lambda r: SERPI_TYPE_ID.get(r["prefijo"]) in types
            and (low is None or r["numeroDoc"] >= low) and (high is None or r["numeroDoc"] <= high),
            sort=lambda r: str(r.get("fechaDocumento")))
        if selection.total > limit:
            return _too_large()
        if selection.total == 0:
            return no_records(world, request.url.path)
        response = raw(_found(world.encoded(selection, 0, selection.total)))
        changes.after_page(world, "serpi", tenant.name, "documents", start, end, request.url.path)
        return response

    return document_types, documents


def _document_query(body: Any) -> tuple[tuple, list[str]]:
    errors = []
    if not isinstance(body, dict):
        return (), ["El cuerpo debe ser un objeto JSON"]
    types = body.get("tiposDocumentos")
    if not isinstance(types, list) or not types or not all(isinstance(t, int) for t in types):
        errors.append("El campo tiposDocumentos es requerido (arreglo de enteros)")
    dates = []
    for name in ("fechaDesde", "fechaHasta"):
        value = body.get(name)
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            errors.append(f"El campo {name} es requerido (fecha AAAA-MM-DD)")
        dates.append(parsed)
    bounds = []
    for name in ("numeroDesde", "numeroHasta"):
        value = body.get(name)
        if value is not None and not isinstance(value, int):
            errors.append(f"El campo {name} debe ser entero")
            value = None
        bounds.append(value)
    if errors:
        return (), errors
    return (frozenset(types), dates[0], dates[1], bounds[0], bounds[1]), []


class TokenGate:
    """ASGI middleware for SERPI's one-request-per-token rule; also holds each request for the latency."""

    def __init__(self, app: Any, world: Any):
        self.app, self.world = app, world

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(BASE):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        auth = headers.get(b"authorization", b"").decode("latin-1")
        token = auth[6:].strip() if auth[:6].lower() == "bearer" else ""
        label = next((t.name for t in tenants_of("serpi") if t.credentials["token"] == token), "unknown")
        stats = self.world.stats
        stats.serpi_in_flight[token] += 1
        try:
            stats.serpi_max_in_flight[label] = max(stats.serpi_max_in_flight[label], stats.serpi_in_flight[token])
            if stats.serpi_in_flight[token] > 1:
                stats.token_in_use_rejections += 1
                await send({"type": "http.response.start", "status": 429,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(TOKEN_IN_USE)).encode())]})
                await send({"type": "http.response.body", "body": TOKEN_IN_USE})
                return
            delay = self.world.faults.value("serpi_latency_ms", "serpi", path)
            if delay:
                await asyncio.sleep(float(delay) / 1000)
            await self.app(scope, receive, send)
        finally:
            stats.serpi_in_flight[token] -= 1


def routes(world) -> list[Route]:
    types, documents = make_handlers(world)
    return [Route(TYPES_PATH, types, methods=["GET"]), Route(DOCUMENTS_PATH, documents, methods=["POST"])]



