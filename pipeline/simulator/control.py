"""The control interface under /_control: health, reset, faults, stats, advance, mutate, inject, truth."""

import json
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import changes
from .encoding import dumps
from .responses import parse_date, raw
from .truth import truth


def _json(value, status: int = 200) -> Response:
    return raw(dumps(value), status)


async def _body(request: Request) -> dict | list:
    text = await request.body()
    return json.loads(text, parse_float=Decimal) if text else {}


def routes(world) -> list[Route]:
    async def health(request: Request) -> Response:
        return _json({"status": "ok", "seed": world.seed, "scale": world.scale,
                      "today": world.today.isoformat(), "history_start": world.history_start.isoformat()})

    async def reset(request: Request) -> Response:
        world.initial_faults = None
        world.reset()
        return _json({"status": "reset", "today": world.today.isoformat()})

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            try:
                world.faults.set(await _body(request))
            except (ValueError, TypeError) as exc:
                return _json({"error": str(exc)}, 400)
        elif request.method == "DELETE":
            world.faults.clear()
        return _json({"faults": world.faults.as_list()})

    async def stats(request: Request) -> Response:
        out = world.stats.as_dict()
        out["faults_fired"] = dict(world.faults.fired)
        return _json(out)

    async def advance(request: Request) -> Response:
        body = await _body(request)
        try:
            return _json(changes.advance(world, int(body.get("days", 1))))
        except ValueError as exc:
            return _json({"error": str(exc)}, 400)

    async def mutate(request: Request) -> Response:
        try:
            return _json(changes.mutate(world, await _body(request)))
        except KeyError as exc:
            return _json({"error": f"not found or missing: {exc}"}, 404)
        except ValueError as exc:
            return _json({"error": str(exc)}, 400)

    async def inject(request: Request) -> Response:
        try:
            return _json(changes.inject(world, await _body(request)))
        except (KeyError, ValueError) as exc:
            return _json({"error": str(exc)}, 400)

    async def truth_(request: Request) -> Response:
        q = request.query_params
        try:
            return _json(truth(world, q["source"], q["tenant"], q.get("entity") or changes.DEFAULT_ENTITY[q["source"]],
                               parse_date(q["date_from"]) if q.get("date_from") else None,
                               parse_date(q["date_to"]) if q.get("date_to") else None))
        except (KeyError, ValueError) as exc:
            return _json({"error": str(exc)}, 400)

    return [
        Route("/_control/health", health, methods=["GET"]),
        Route("/_control/reset", reset, methods=["POST"]),
        Route("/_control/faults", faults, methods=["GET", "PUT", "DELETE"]),
        Route("/_control/stats", stats, methods=["GET"]),
        Route("/_control/advance", advance, methods=["POST"]),
        Route("/_control/mutate", mutate, methods=["POST"]),
        Route("/_control/inject", inject, methods=["POST"]),
        Route("/_control/truth", truth_, methods=["GET"]),
    ]



