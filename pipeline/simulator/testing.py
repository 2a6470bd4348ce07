"""`start_simulator`: the real server on a free loopback port in a background thread, for tests.

    with start_simulator(seed=42, scale=1, today=date(2025, 6, 30)) as sim:
        env = sim.write_connections(tmp_path / "connections.yaml")   # env vars holding the credentials
        httpx.get(sim.url + "/smartpyme/api/external/v1/sales", headers=...)
        sim.control.set_faults({"fail_next_5xx": 2, "source": "smartpyme"})
"""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import uvicorn
import yaml

from .faults import normalize
from .server import make_config
from .tenants import CURRENCIES, TENANTS
from .world import World

ENV_NAMES = {
    "acme_ec": {"api_key_env": "ACME_TROYANSYS_API_KEY"},
    "andina_ec": {"token_env": "ANDINA_TROYANSYS_TOKEN"},
    "limitada_ec": {"api_key_env": "LIMITADA_TROYANSYS_API_KEY"},
    "tienda_sv": {"api_key_env": "TIENDA_SMARTPYME_KEY"},
    "ferreteria_sv": {"api_key_env": "FERRETERIA_SMARTPYME_KEY"},
    "contable_co": {"secret_key_env": "CONTABLE_SERPI_SECRET", "token_env": "CONTABLE_SERPI_TOKEN"},
    "constructora_co": {"secret_key_env": "CONSTRUCTORA_SERPI_SECRET", "token_env": "CONSTRUCTORA_SERPI_TOKEN"},
    "inmobiliaria_co": {"username_env": "INMO_USER", "password_env": "INMO_PASSWORD"},
    "arriendos_co": {"token_env": "ARRIENDOS_TOKEN"},
}
_CREDENTIAL_OF = {"api_key_env": "api_key", "token_env": "token", "secret_key_env": "secret",
                  "username_env": "username", "password_env": "password"}
BASE_PATHS = {"troyansys": "/troyansys/api/v1", "smartpyme": "/smartpyme/api/external/v1",
              "serpi": "/serpi/api/v1", "arrendasoft": "/arrendasoft/{instance}/service/v2/public"}
DEMO_TENANTS = ("acme_ec", "andina_ec", "tienda_sv", "ferreteria_sv", "contable_co", "constructora_co",
                "inmobiliaria_co", "arriendos_co")


class Control:
    """Thin client of /_control."""

    def __init__(self, url: str):
        self.client = httpx.Client(base_url=url, timeout=60)

    def _ok(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise RuntimeError(f"control {response.request.url.path}: {response.status_code} {response.text}")
        return response.json()

    def health(self) -> dict:
        return self._ok(self.client.get("/_control/health"))

    def reset(self) -> dict:
        return self._ok(self.client.post("/_control/reset"))

    def set_faults(self, faults: dict | list | None = None, **named: Any) -> dict:
        """`set_faults({"fail_next_5xx": 2, "source": "serpi"})`, a list of specs, or keywords."""
        payload = faults if faults is not None else named
        return self._ok(self.client.put("/_control/faults", json=payload))

    def clear_faults(self) -> dict:
        return self._ok(self.client.delete("/_control/faults"))

    def faults(self) -> dict:
        return self._ok(self.client.get("/_control/faults"))

    def stats(self) -> dict:
        return self._ok(self.client.get("/_control/stats"))

    def advance(self, days: int = 1) -> dict:
        return self._ok(self.client.post("/_control/advance", json={"days": days}))

    def mutate(self, **body: Any) -> dict:
        return self._ok(self.client.post("/_control/mutate", json=body))

    def inject(self, **body: Any) -> dict:
        return self._ok(self.client.post("/_control/inject", json=body))

    def truth(self, source: str, tenant: str, entity: str | None = None, date_from: date | str | None = None,
              date_to: date | str | None = None) -> dict:
        params = {"source": source, "tenant": tenant}
        for name, value in (("entity", entity), ("date_from", date_from), ("date_to", date_to)):
            if value is not None:
                params[name] = str(value)
        return self._ok(self.client.get("/_control/truth", params=params))

    def close(self) -> None:
        self.client.close()


class SimulatorHandle:
    def __init__(self, url: str, world: World):
        self.url = url
        self.world = world
        self.control = Control(url)

    def base_url(self, source: str) -> str:
        return self.url + BASE_PATHS[source]

    def credentials(self, tenant: str) -> dict[str, str]:
        """Env var name -> value for one tenant."""
        creds = next(t for t in TENANTS if t.name == tenant).credentials
        return {env: creds[_CREDENTIAL_OF[key]] for key, env in ENV_NAMES[tenant].items()}

    def write_connections(self, path: str | Path, tenants: list[str] | None = None,
                          start_date: date | str | None = None, **per_connection_overrides: dict) -> dict[str, str]:
        """Write a connections YAML for this simulator; returns the env vars holding the credentials.

        `per_connection_overrides` maps a tenant name to keys merged into its connection
        (e.g. `tienda_sv={"lookback_days": 7}`).
        """
        chosen = list(tenants) if tenants is not None else list(DEMO_TENANTS)
        connections, env = [], {}
        for tenant in TENANTS:
            if tenant.name not in chosen:
                continue
            auth: dict[str, Any] = dict(ENV_NAMES[tenant.name])
            if tenant.source == "troyansys":
                if "token_env" in auth:
                    auth = {"mode": "user", **auth, "company_id": tenant.company_id}
                else:
                    auth = {"mode": "company", **auth}
            connection: dict[str, Any] = {"name": tenant.name, "source": tenant.source,
                                          "base_url": self.base_url(tenant.source),
                                          "currency": CURRENCIES[tenant.source], "auth": auth}
            if tenant.instance:
                connection["instance"] = tenant.instance
            if tenant.name == "limitada_ec":
                connection["reports"] = ["dashboard", "sales", "inventory", "purchases", "accounting"]
            connection.update(per_connection_overrides.get(tenant.name, {}))
            connections.append(connection)
            env.update(self.credentials(tenant.name))
        document = {"start_date": str(start_date or self.world.history_start), "timezone": "America/Bogota",
                    "connections": connections}
        Path(path).write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
        return env


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def start_simulator(seed: int = 42, scale: float = 1, today: date = date(2025, 6, 30),
                    history_start: date = date(2025, 1, 1),
                    faults: dict | list | None = None) -> Iterator[SimulatorHandle]:
    """Run the simulator in a background thread on a free loopback port; stop it cleanly on exit."""
    world = World(seed=seed, scale=scale, today=today, history_start=history_start, faults=normalize(faults))
    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(make_config(world, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name=f"simulator-{port}")
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("simulator did not start")
        time.sleep(0.01)
    handle = SimulatorHandle(f"http://127.0.0.1:{port}", world)
    try:
        yield handle
    finally:
        handle.control.close()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
