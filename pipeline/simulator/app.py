"""Assembles the ASGI app: the four APIs and the control interface behind the fault middleware."""

from typing import Any

from starlette.applications import Starlette

from . import arrendasoft, control, serpi, smartpyme, troyansys
from .faults import FaultMiddleware
from .world import World


def build_app(world: World) -> Any:
    routes = (troyansys.routes(world) + smartpyme.routes(world) + serpi.routes(world)
              + arrendasoft.routes(world) + control.routes(world))
    router = Starlette(routes=routes)
    return serpi.TokenGate(FaultMiddleware(router, world), world)
