"""SmartPyme external API: GET /sales, /sales/summary, /sales/{id}; the Bearer key names the company.

[assumed] choices: without `order_by` the list is ordered by `fecha` descending (then id descending);
`total_pages` is 0 for an empty result; `meta.timestamp` is the simulated clock (today, fixed time) so equal
seeds give equal bytes; `meta.filters_applied` echoes fecha_inicio, fecha_fin and estado when given.
"""

import math
from collections.abc import Callable
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import changes
from .encoding import dumps, fixed, round2, to_decimal
from .responses import bearer, body_page, count_request, parse_date, parse_int, raw
from .tenants import Tenant, tenants_of

BASE = "/smartpyme/api/external/v1"
ESTADOS_FILTER = ("Completada", "Pendiente", "Anulada", "Cotizacion")
ESTADOS_ALL = ("Completada", "Pagada", "Pendiente", "Anulada", "Cotizacion", "Pre-venta")
ORDER_FIELDS = ("fecha", "total", "correlativo", "created_at")
ZERO = Decimal(0)


def _error(status: int, code: str, message: str, details: dict | None = None) -> Response:
    return raw(dumps({"success": False, "error": {"code": code, "message": message, "details": details or {}}}),
               status)


def authenticate(request: Request) -> Tenant | Response:
    key = bearer(request)
    tenant = next((t for t in tenants_of("smartpyme") if key and t.credentials["api_key"] == key), None)
    return tenant or _error(401, "UNAUTHORIZED", "API key inválida o ausente.")


def _meta(world, tenant: Tenant, filters: dict | None) -> dict:
    meta = {"empresa": tenant.display_name, "timestamp": f"{world.today.isoformat()}T12:00:00Z"}
    if filters is not None:
        meta["filters_applied"] = filters
    return meta


class SalesSummary:
    def __init__(self) -> None:
        self.count = 0
        self.total, self.iva, self.discount = ZERO, ZERO, ZERO
        self.by_estado: dict[str, list] = {}

    def add(self, rec: dict) -> None:
        total = to_decimal(rec.get("total")) or ZERO
        self.count += 1
        self.total += total
        self.iva += to_decimal(rec.get("iva")) or ZERO
        self.discount += to_decimal(rec.get("descuento")) or ZERO
        slot = self.by_estado.setdefault(str(rec.get("estado")), [0, ZERO])
        slot[0] += 1
        slot[1] += total

    def result(self) -> dict:
        order = {e: i for i, e in enumerate(ESTADOS_ALL)}
        return {
            "cantidad_ventas": self.count,
            "total_ventas": fixed(self.total, 2),
            "total_iva": fixed(self.iva, 2),
            "total_descuentos": fixed(self.discount, 2),
            "promedio_venta": fixed(round2(self.total / self.count) if self.count else ZERO, 2),
            "ventas_por_estado": [
                {"estado": e, "cantidad": c, "total": fixed(t, 2)}
                for e, (c, t) in sorted(self.by_estado.items(), key=lambda kv: order.get(kv[0], 99))
            ],
        }


def _filters(params: dict, listing: bool) -> tuple[dict, dict, dict]:
    """(validated filters, filters_applied echo, 422 details)."""
    out: dict = {}
    echo: dict = {}
    errors: dict[str, list[str]] = {}
    for name in ("fecha_inicio", "fecha_fin"):
        if name in params:
            value = parse_date(params[name])
            if value is None:
                errors[name] = [f"El campo {name} no corresponde al formato Y-m-d."]
            out[name] = value
            echo[name] = params[name]
    if "estado" in params:
        if params["estado"] not in ESTADOS_FILTER:
            errors["estado"] = [f"El estado seleccionado no es válido ({', '.join(ESTADOS_FILTER)})."]
        out["estado"] = echo["estado"] = params["estado"]
    if listing:
        page = parse_int(params.get("page", "1"))
        if page is None or page < 1:
            errors["page"] = ["El campo page debe ser un entero mayor o igual a 1."]
        per_page = parse_int(params.get("per_page", "100"))
        if per_page is None or not 1 <= per_page <= 200:
            errors["per_page"] = ["El campo per_page debe estar entre 1 y 200."]
        order_by = params.get("order_by", "fecha")
        if order_by not in ORDER_FIELDS:
            errors["order_by"] = [f"El campo order_by debe ser uno de: {', '.join(ORDER_FIELDS)}."]
        direction = params.get("order_direction", "desc" if "order_by" not in params else "asc")
        if direction not in ("asc", "desc"):
            errors["order_direction"] = ["El campo order_direction debe ser asc o desc."]
        out.update(page=page, per_page=per_page, order_by=order_by, direction=direction)
    return out, echo, errors


def _sort_key(order_by: str) -> Callable[[dict], object]:
    if order_by == "total":
        return lambda r: to_decimal(r.get("total")) or ZERO
    return lambda r: str(r.get(order_by))


def _select(world, tenant: Tenant, filters: dict, order_by: str = "fecha", direction: str = "asc"):
    estado = filters.get("estado")
    return world.select(
        "smartpyme", tenant.name, "sales", start=filters.get("fecha_inicio"), end=filters.get("fecha_fin"),
        key=(estado, order_by), match=(lambda r: r.get("estado") == estado) if estado else None,
        sort=_sort_key(order_by), reverse=direction == "desc", summarize=SalesSummary)


def make_handlers(world) -> tuple[Callable, Callable, Callable]:
    async def sales(request: Request) -> Response:
        tenant = authenticate(request)
        if isinstance(tenant, Response):
            return tenant
        count_request(world, "smartpyme", tenant.name)
        filters, echo, errors = _filters(dict(request.query_params), listing=True)
        if errors:
            return _error(422, "VALIDATION_ERROR", "Los datos proporcionados no son válidos.", errors)
        page, per_page = filters["page"], filters["per_page"]
        selection = _select(world, tenant, filters, filters["order_by"], filters["direction"])
        page_key = (selection.key, page, per_page, world.today)
        body = world.pages.get(page_key)
        if body is None:
            total_pages = math.ceil(selection.total / per_page)
            tail = {
                "pagination": {"current_page": page, "per_page": per_page, "total": selection.total,
                               "total_pages": total_pages, "has_next": page < total_pages, "has_prev": page > 1},
                "meta": _meta(world, tenant, echo),
            }
            records = world.encoded(selection, (page - 1) * per_page, per_page)
            body = body_page(b'{"success":true,"data":', records, b"," + dumps(tail)[1:])
            world.pages.put(page_key, body)
        changes.after_page(world, "smartpyme", tenant.name, "sales", filters.get("fecha_inicio"),
                           filters.get("fecha_fin"), request.url.path)
        return raw(body)

    async def summary(request: Request) -> Response:
        tenant = authenticate(request)
        if isinstance(tenant, Response):
            return tenant
        count_request(world, "smartpyme", tenant.name)
        filters, echo, errors = _filters(dict(request.query_params), listing=False)
        if errors:
            return _error(422, "VALIDATION_ERROR", "Los datos proporcionados no son válidos.", errors)
        selection = _select(world, tenant, filters)
        return raw(dumps({"success": True, "data": selection.summary, "meta": _meta(world, tenant, echo)}))

    async def one(request: Request) -> Response:
        tenant = authenticate(request)
        if isinstance(tenant, Response):
            return tenant
        count_request(world, "smartpyme", tenant.name)
        sale_id = parse_int(request.path_params["sale_id"])
        found = world.locate("smartpyme", tenant.name, "sales", sale_id) if sale_id is not None else None
        if found is None:
            return _error(404, "NOT_FOUND", "Venta no encontrada.")
        return raw(b'{"success":true,"data":' + dumps(found[1]) + b',"meta":'
                   + dumps(_meta(world, tenant, None)) + b"}")

    return sales, summary, one


def routes(world) -> list[Route]:
    sales, summary, one = make_handlers(world)
    return [Route(f"{BASE}/sales", sales, methods=["GET"]),
            Route(f"{BASE}/sales/summary", summary, methods=["GET"]),
            Route(f"{BASE}/sales/{{sale_id}}", one, methods=["GET"])]
