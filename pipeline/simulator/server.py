"""Runs the simulator with uvicorn (httptools + uvloop)."""

from datetime import date

import uvicorn

from .app import build_app
from .world import World


def make_config(world: World, host: str, port: int, log_level: str = "warning") -> uvicorn.Config:
    return uvicorn.Config(build_app(world), host=host, port=port, log_level=log_level, access_log=False,
                          loop="uvloop", http="httptools", lifespan="off", timeout_keep_alive=30)


def serve(host: str = "127.0.0.1", port: int = 8765, seed: int = 42, scale: float = 1,
          today: date | None = None, history_start: date = date(2025, 1, 1),
          faults: list[dict] | None = None) -> None:
    """Serve all four APIs until interrupted (blocking)."""
    world = World(seed=seed, scale=scale, today=today, history_start=history_start, faults=faults)
    uvicorn.Server(make_config(world, host, port, log_level="info")).run()
