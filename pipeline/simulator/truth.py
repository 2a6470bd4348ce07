"""Ground truth for known-answer tests: counts, ids and exact sums from the current data."""

from datetime import date
from decimal import Decimal

from . import generator as gen
from .encoding import to_decimal

ZERO = Decimal(0)
SUM_FIELDS = {
    ("troyansys", "sales"): ("subtotal", "tax", "total", "paid_amount", "pending_balance"),
    ("troyansys", "purchases"): ("subtotal", "tax", "total"),
    ("troyansys", "accounting"): ("debit_total", "credit_total"),
    ("troyansys", "inventory"): ("quantity", "total_value"),
    ("smartpyme", "sales"): ("sub_total", "iva", "descuento", "propina", "total", "saldo"),
    ("serpi", "documents"): (),
    ("arrendasoft", "invoices"): ("valor_total", "saldo"),
}


def truth(world, source: str, tenant: str, entity: str, date_from: date | None, date_to: date | None) -> dict:
    if (source, entity) not in SUM_FIELDS:
        raise ValueError(f"unknown entity {source}/{entity}")
    selection = world.select(source, tenant, entity, start=date_from, end=date_to)
    records = world.records(selection, 0, selection.total)
    idf = gen.id_field(source, entity)
    sums = dict.fromkeys(SUM_FIELDS[(source, entity)], ZERO)
    malformed = []
    for rec in records:
        for name in sums:
            value = to_decimal(rec.get(name))
            if value is None:
                malformed.append(rec[idf])
            else:
                sums[name] += value
    out: dict = {"count": len(records), "ids": sorted(r[idf] for r in records)}
    if source == "smartpyme":
        lines = [ln for r in records for ln in r["detalles"]]
        out["lines"] = len(lines)
        out["line_sums"] = {k: str(sum((to_decimal(ln[k]) or ZERO for ln in lines), ZERO))
                            for k in ("total", "iva", "descuento", "total_costo")}
    if source == "serpi":
        lines = [ln for r in records for ln in r["detalles"]]
        out["lines"] = len(lines)
        sums["debit"] = sum((to_decimal(ln["valor"]) or ZERO for ln in lines if ln["naturaleza"] == "D"), ZERO)
        sums["credit"] = sum((to_decimal(ln["valor"]) or ZERO for ln in lines if ln["naturaleza"] == "C"), ZERO)
    if source == "troyansys" and entity == "accounting":
        out["lines"] = sum(len(r.get("lines") or []) for r in records)
    out["sums"] = {k: str(v) for k, v in sums.items()}
    out["malformed_ids"] = sorted(set(malformed))
    return out
