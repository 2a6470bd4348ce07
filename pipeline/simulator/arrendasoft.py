"""Arrendasoft public API v2 per instance: POST /login, GET /invoices/list.

[assumed] choices: invoices are listed by factura_id descending (newest first, so invoices created while a
client pages shift every later page); a page_size above 1000 (or below 1, or a page below 1) is answered
HTTP 200 with envelope status 500 and a message; login tokens are opaque and count their uses
(`arrendasoft_token_max_uses` N: the (N+1)th use gets 401); fixed tokens never expire.
"""

import hashlib
import math

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import changes
from .encoding import dumps
from .responses import bearer, body_page, count_request, parse_int, raw
from .tenants import Tenant, tenants_of

BASE = "/arrendasoft/{instance}/service/v2/public"


def _envelope(status: int, message: str | None, http_status: int = 200) -> Response:
    return raw(dumps({"status": status, "message": message, "body": []}), http_status)


def _tenant(instance: str) -> Tenant | None:
    return next((t for t in tenants_of("arrendasoft") if t.instance == instance), None)


def make_handlers(world) -> tuple:
    async def login(request: Request) -> Response:
        tenant = _tenant(request.path_params["instance"])
        if tenant is None:
            return _envelope(404, "Instancia no encontrada", 404)
        count_request(world, "arrendasoft", tenant.name)
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            body = None
        if not isinstance(body, dict) or "username" not in tenant.credentials \
                or body.get("username") != tenant.credentials["username"] \
                or body.get("password") != tenant.credentials["password"]:
            return _envelope(401, "Usuario o contraseña incorrectos", 401)
        serial = len(world.arrendasoft_tokens) + 1
        token = "arr-" + hashlib.blake2b(f"{world.seed}:{tenant.name}:{serial}".encode(), digest_size=12).hexdigest()
        world.arrendasoft_tokens[token] = {"tenant": tenant.name, "uses": 0}
        return raw(dumps({"status": 200, "message": None, "body": {"token": token, "expires_in": 3600}}))

    async def invoices(request: Request) -> Response:
        tenant = _tenant(request.path_params["instance"])
        if tenant is None:
            return _envelope(404, "Instancia no encontrada", 404)
        token = bearer(request)
        issued = world.arrendasoft_tokens.get(token) if token else None
        if issued is not None and issued["tenant"] == tenant.name:
            max_uses = world.faults.value("arrendasoft_token_max_uses", "arrendasoft", request.url.path)
            if max_uses is not None and issued["uses"] >= int(max_uses):
                world.faults.note("arrendasoft_token_expired")
                return _envelope(401, "Token expirado", 401)
            issued["uses"] += 1
        elif token is None or token != tenant.credentials.get("token"):
            return _envelope(401, "Token inválido", 401)
        count_request(world, "arrendasoft", tenant.name)
        if world.faults.take("arrendasoft_envelope_error_next", "arrendasoft", request.url.path):
            return _envelope(500, "Error interno del servidor, intente nuevamente más tarde")
        page = parse_int(request.query_params.get("page", "1"))
        page_size = parse_int(request.query_params.get("page_size", "10"))
        if page is None or page < 1:
            return _envelope(500, "El parámetro page debe ser un entero mayor o igual a 1")
        if page_size is None or not 1 <= page_size <= 1000:
            return _envelope(500, "El parámetro page_size debe estar entre 1 y 1000")
        selection = world.select("arrendasoft", tenant.name, "invoices", sort=lambda r: 0, reverse=True)
        page_key = (selection.key, page, page_size)
        body = world.pages.get(page_key)
        if body is None:
            records = world.encoded(selection, (page - 1) * page_size, page_size)
            total_pages = math.ceil(selection.total / page_size)
            pagination = {"total_records": selection.total, "total_pages": total_pages, "current_page": page,
                          "page_size": page_size, "current_page_records": len(records),
                          "has_next_page": page < total_pages, "has_previous_page": page > 1}
            body = body_page(b'{"status":200,"message":null,"body":', records,
                             b',"pagination":' + dumps(pagination) + b"}")
            world.pages.put(page_key, body)
        changes.after_page(world, "arrendasoft", tenant.name, "invoices", None, None, request.url.path)
        return raw(body)

    return login, invoices


def routes(world) -> list[Route]:
    login, invoices = make_handlers(world)
    return [Route(f"{BASE}/login", login, methods=["POST"]),
            Route(f"{BASE}/invoices/list", invoices, methods=["GET"])]
