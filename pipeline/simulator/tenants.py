"""The simulated tenants of each source and the credentials the simulators accept (demo values only)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Tenant:
    name: str
    source: str
    display_name: str
    id_base: int
    credentials: dict[str, str] = field(default_factory=dict)
    company_id: int | None = None
    instance: str | None = None
    modules_denied: tuple[str, ...] = ()


TENANTS: tuple[Tenant, ...] = (
    Tenant("acme_ec", "troyansys", "ACME Soluciones S.A.", 100, {"api_key": "tro-acme-3f9a1c7e55d2"}, company_id=1),
    Tenant("andina_ec", "troyansys", "Distribuidora Andina Cía. Ltda.", 200,
           {"token": "tro-andina-user-7b2d40aa"}, company_id=2),
    Tenant("limitada_ec", "troyansys", "Comercial La Limitada S.A.", 300, {"api_key": "tro-limitada-91ce0d3a"},
           company_id=3, modules_denied=("purchases",)),
    Tenant("tienda_sv", "smartpyme", "Tienda La Esperanza S.A. de C.V.", 10000,
           {"api_key": "spy-tienda-5e8d21c9f0"}),
    Tenant("ferreteria_sv", "smartpyme", "Ferretería El Martillo S.A. de C.V.", 20000,
           {"api_key": "spy-ferre-0a4c77e1b3"}),
    Tenant("contable_co", "serpi", "Servicios Contables del Valle S.A.S.", 1000,
           {"secret": "serpi-secret-contable-4411ab", "token": "serpi-token-contable-9d2e6f"}),
    Tenant("constructora_co", "serpi", "Constructora Horizonte S.A.S.", 5000,
           {"secret": "serpi-secret-constructora-72b0cd", "token": "serpi-token-constructora-c35f18"}),
    Tenant("inmobiliaria_co", "arrendasoft", "Mi Inmobiliaria S.A.S.", 41,
           {"username": "api_inmo", "password": "inmo-pass-8812fe"}, instance="miinmobiliaria"),
    Tenant("arriendos_co", "arrendasoft", "Arriendos y Propiedades Ltda.", 1,
           {"token": "arr-fixed-token-6f1b93"}, instance="arriendos"),
)

SOURCES = ("troyansys", "smartpyme", "serpi", "arrendasoft")
CURRENCIES = {"troyansys": "USD", "smartpyme": "USD", "serpi": "COP", "arrendasoft": "COP"}
BY_NAME = {t.name: t for t in TENANTS}


def tenants_of(source: str) -> list[Tenant]:
    return [t for t in TENANTS if t.source == source]
