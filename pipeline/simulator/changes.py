"""Changes to the world after the seed state: shifting pages (faults), advancing time, targeted mutations,
injected bad records, and the ground truth computed from the current data."""

import copy
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from . import generator as gen
from .encoding import fixed, plain, round2, to_decimal
from .tenants import tenants_of

ZERO = Decimal(0)
DEFAULT_ENTITY = {"troyansys": "sales", "smartpyme": "sales", "serpi": "documents", "arrendasoft": "invoices"}


def _window_days(world, start: date | None, end: date | None) -> tuple[date, date]:
    first = max(start or world.history_start, world.history_start)
    last = min(end or world.today, world.today)
    return first, last


def after_page(world, source: str, tenant: str, entity: str, start: date | None, end: date | None,
               path: str) -> None:
    """The shift_inserts / shift_updates faults: change the window after each page served."""
    inserts = int(world.faults.value("shift_inserts", source, path) or 0)
    updates = int(world.faults.value("shift_updates", source, path) or 0)
    if not inserts and not updates:
        return
    first, last = _window_days(world, start, end)
    if first > last:
        return
    rng = gen.rng_for(world.seed, "shift", source, tenant, entity, world.clock_ticks, world.version[(source, tenant)])
    span = (last - first).days
    for _ in range(inserts):
        day = first + timedelta(days=rng.randint(0, span))
        world.insert(source, tenant, entity, day, world.generate_one(source, tenant, entity, day))
        world.faults.note("shift_inserts")
    if updates:
        selection = world.select(source, tenant, entity, start=first, end=last)
        refs = selection.refs
        idf = gen.id_field(source, entity)
        for _ in range(min(updates, len(refs))):
            rec = world.records(selection, rng.randrange(len(refs)), 1)[0]
            world.edit(source, tenant, entity, rec[idf], lambda r: touch(world, source, r))
            world.faults.note("shift_updates")


def touch(world, source: str, rec: dict) -> None:
    """A realistic small change to a record."""
    if source == "smartpyme":
        rec["updated_at"] = world.now()
        rec["observaciones"] = (rec.get("observaciones") or "") + " (actualizada)"
    elif source == "arrendasoft":
        saldo = to_decimal(rec["saldo"]) or ZERO
        if saldo > 0:
            _arrendasoft_pay(rec, round2(saldo / 2) if saldo > 2 else saldo)
        else:
            rec["notas"] = int(rec.get("notas") or 0) + 1
    elif source == "troyansys":
        if "pending_balance" in rec:
            pending = to_decimal(rec["pending_balance"]) or ZERO
            if rec.get("type") == "invoice" and rec.get("status") == "issued" and pending > 0:
                gen.set_troyansys_payment(rec, (to_decimal(rec["paid_amount"]) or ZERO) + pending)
            else:
                rec["customer_name"] = rec["customer_name"] + " "
        elif "description" in rec:
            rec["description"] = rec["description"] + " (editado)"
        else:
            rec["supplier_name"] = rec.get("supplier_name", "") + " "
    elif source == "serpi":
        for line in rec["detalles"]:
            line["detalle"] = line["detalle"] + " AJ"


# ---------------------------------------------------------------- mutations

def _arrendasoft_pay(rec: dict, amount: Decimal) -> None:
    saldo = max((to_decimal(rec["saldo"]) or ZERO) - amount, ZERO)
    rec["saldo"] = format(fixed(saldo, 2), "f")
    if saldo == 0 and rec["estado"] == "Facturada":
        rec["estado"] = "Pagada"


def _smartpyme_complete(world, rec: dict) -> None:
    if rec.get("cotizacion") or rec["estado"] == "Cotizacion":
        rec["cotizacion"] = False
        rec["nombre_documento"] = "Factura"
        rec["correlativo"] = "FAC" + rec["correlativo"][3:]
    rec["estado"] = "Completada"
    rec["saldo"] = fixed(ZERO, 2)
    rec["monto_pago"], rec["cambio"] = rec["total"], fixed(ZERO, 2)
    rec["fecha_expiracion"] = None
    rec["updated_at"] = world.now()


def apply_action(world, source: str, rec: dict, action: str, body: dict) -> None:
    amount = to_decimal(body["amount"]) if body.get("amount") is not None else None
    if action == "set":
        rec.update(body.get("fields") or {})
        return
    if source == "smartpyme":
        if action == "annul":
            rec["estado"], rec["saldo"] = "Anulada", fixed(ZERO, 2)
        elif action == "complete":
            _smartpyme_complete(world, rec)
        elif action == "pay":
            saldo = to_decimal(rec["saldo"]) or ZERO
            rest = max(saldo - (amount if amount is not None else saldo), ZERO)
            rec["saldo"] = fixed(rest, 2)
            if rest == 0 and rec["estado"] == "Pendiente":
                rec["estado"] = "Completada"
        else:
            raise ValueError(f"unknown action {action!r}")
        rec["updated_at"] = world.now()
    elif source == "arrendasoft":
        if action == "annul":
            rec["estado"], rec["saldo"] = "Anulada", "0.00"
        elif action == "pay":
            _arrendasoft_pay(rec, amount if amount is not None else (to_decimal(rec["saldo"]) or ZERO))
        else:
            raise ValueError(f"unknown action {action!r}")
    elif source == "troyansys":
        if action == "annul":
            rec["status"] = "cancelled"
        elif action == "pay":
            pending = to_decimal(rec["pending_balance"]) or ZERO
            paid = (to_decimal(rec["paid_amount"]) or ZERO) + (amount if amount is not None else pending)
            gen.set_troyansys_payment(rec, paid)
        elif action == "set_quantity":
            gen.set_inventory_quantity(rec, to_decimal(body["quantity"]) or ZERO)
        else:
            raise ValueError(f"unknown action {action!r}")
    else:
        raise ValueError(f"unknown action {action!r} for {source}")


def mutate(world, body: dict) -> dict:
    source, tenant, action = body["source"], body["tenant"], body["action"]
    entity = body.get("entity") or DEFAULT_ENTITY[source]
    record_id = int(body["id"])
    if action == "delete":
        world.replace(source, tenant, entity, record_id, None)
        return {"deleted": record_id}
    new = world.edit(source, tenant, entity, record_id, lambda r: apply_action(world, source, r, action, body))
    return {"record": new}


# ---------------------------------------------------------------- advance

def advance(world, days: int) -> dict:
    """Move today forward: new days of records appear, and earlier records change."""
    if days < 1:
        raise ValueError("days must be at least 1")
    old_today = world.today
    world.today = old_today + timedelta(days=days)
    new: dict[str, dict[str, dict[str, list[int]]]] = {}
    changed: dict[str, dict[str, dict[str, list[int]]]] = {}
    first_new = old_today + timedelta(days=1)
    for source, entity in gen.DATED_ENTITIES:
        for tenant in tenants_of(source):
            selection = world.select(source, tenant.name, entity, start=first_new, end=world.today)
            idf = gen.id_field(source, entity)
            ids = [r[idf] for r in world.records(selection, 0, selection.total)]
            new.setdefault(source, {}).setdefault(tenant.name, {})[entity] = ids
    for tenant in tenants_of("smartpyme"):
        ids = _advance_records(world, "smartpyme", tenant.name, "sales", old_today, 30, _smartpyme_step)
        changed.setdefault("smartpyme", {})[tenant.name] = {"sales": ids}
    for tenant in tenants_of("arrendasoft"):
        ids = _advance_records(world, "arrendasoft", tenant.name, "invoices", old_today, 90, _arrendasoft_step)
        changed.setdefault("arrendasoft", {})[tenant.name] = {"invoices": ids}
    for tenant in tenants_of("troyansys"):
        ids = _advance_records(world, "troyansys", tenant.name, "sales", old_today, 60, _troyansys_step)
        inventory = _advance_inventory(world, tenant.name)
        changed.setdefault("troyansys", {})[tenant.name] = {"sales": ids, "inventory": inventory}
    return {"today": world.today.isoformat(), "new": new, "changed": changed}


def _advance_records(world, source: str, tenant: str, entity: str, old_today: date, lookback: int,
                     step) -> list[int]:
    rng = gen.rng_for(world.seed, "advance", source, tenant, entity, world.today.toordinal())
    selection = world.select(source, tenant, entity, start=old_today - timedelta(days=lookback), end=old_today)
    idf = gen.id_field(source, entity)
    changed = []
    for rec in world.records(selection, 0, selection.total):
        change = step(world, rec, rng)
        if change is not None:
            world.edit(source, tenant, entity, rec[idf], change)
            changed.append(rec[idf])
    return changed


def _smartpyme_step(world, rec: dict, rng) -> Any:
    estado, r = rec["estado"], rng.random()
    if estado == "Pendiente" and r < 0.7:
        if r < 0.6:
            return lambda x: _smartpyme_complete(world, x)
        return lambda x: apply_action(world, "smartpyme", x, "annul", {})
    if estado in ("Cotizacion", "Pre-venta") and r < 0.25:
        return lambda x: _smartpyme_complete(world, x)
    return None


def _arrendasoft_step(world, rec: dict, rng) -> Any:
    saldo = to_decimal(rec["saldo"]) or ZERO
    if rec["estado"] != "Facturada" or saldo <= 0:
        return None
    r = rng.random()
    if r < 0.4:
        return lambda x: _arrendasoft_pay(x, saldo)
    if r < 0.6:
        part = round2(saldo * Decimal(rng.randint(20, 80)) / 100)
        return lambda x: _arrendasoft_pay(x, part)
    return None


def _troyansys_step(world, rec: dict, rng) -> Any:
    pending = to_decimal(rec.get("pending_balance")) or ZERO
    if rec.get("type") != "invoice" or rec.get("status") != "issued" or pending <= 0:
        return None
    paid = to_decimal(rec["paid_amount"]) or ZERO
    r = rng.random()
    if r < 0.4:
        return lambda x: gen.set_troyansys_payment(x, paid + pending)
    if r < 0.6:
        part = round2(pending * Decimal(rng.randint(20, 80)) / 100)
        return lambda x: gen.set_troyansys_payment(x, paid + part)
    return None


def _advance_inventory(world, tenant: str) -> list[int]:
    rng = gen.rng_for(world.seed, "advance", "troyansys", tenant, "inventory", world.today.toordinal())
    changed = []
    for rec in list(world.snapshot("troyansys", tenant, "inventory")):
        if rng.random() < 0.1:
            qty = max((to_decimal(rec["quantity"]) or ZERO) + rng.randint(-20, 30), ZERO)
            world.edit("troyansys", tenant, "inventory", rec["id"], lambda x, q=qty: gen.set_inventory_quantity(x, q))
            changed.append(rec["id"])
    return changed


# ---------------------------------------------------------------- inject

MONEY_FIELDS = {("troyansys", "sales"): "total", ("troyansys", "purchases"): "total",
                ("troyansys", "accounting"): "debit_total", ("smartpyme", "sales"): "total",
                ("arrendasoft", "invoices"): "valor_total", ("serpi", "documents"): None}


def inject(world, body: dict) -> dict:
    source, tenant, kind = body["source"], body["tenant"], body["kind"]
    entity = body.get("entity") or {"unbalanced_entry": "accounting"}.get(kind) or DEFAULT_ENTITY[source]
    if kind == "negative_quantity" and source == "troyansys":
        entity = "inventory"
    day = date.fromisoformat(body["date"]) if body.get("date") else world.history_start + timedelta(days=1)
    if not world.history_start <= day <= world.today:
        raise ValueError(f"date must be within {world.history_start}..{world.today}")
    if entity == "inventory":
        rec = world.snapshot(source, tenant, entity)[0]
        new = world.edit(source, tenant, entity, rec["id"], lambda r: r.update(quantity="-5.000"))
        return {"ids": [new["id"]], "kind": kind}
    rec = world.generate_one(source, tenant, entity, day)
    idf = gen.id_field(source, entity)
    if kind == "impossible_date":
        rec[gen.DATE_FIELDS[(source, entity)]] = f"{day.year}-02-30"
    elif kind == "malformed_amount":
        if source == "serpi":
            rec["detalles"][0]["valor"] = "12,50"
        else:
            rec[MONEY_FIELDS[(source, entity)]] = body.get("value", "12,50")
    elif kind == "negative_quantity":
        line = rec["detalles"][0]
        line["cantidad"] = -abs(line["cantidad"]) or -1
        line["total"] = fixed(round2(Decimal(line["cantidad"]) * line["precio"] - line["descuento"]), 2)
        line["iva"] = fixed(round2(line["total"] * Decimal("0.13")), 2)
        gen.set_smartpyme_totals(rec)
    elif kind == "duplicate_id":
        selection = world.select(source, tenant, entity, start=day, end=world.today)
        if not selection.total:
            raise ValueError("no record to duplicate on or after that date")
        original = world.records(selection, 0, 1)[0]
        dup = copy.deepcopy(original)
        _alter(source, dup)
        k = world.day_index(date.fromisoformat(str(original[gen.DATE_FIELDS[(source, entity)]])))
        world.extras[(source, tenant, entity)][k].append(dup)
        world.bump(source, tenant, entity, k)
        return {"ids": [dup[idf]], "kind": kind}
    elif kind == "unbalanced_document":
        rec["detalles"][0]["valor"] = rec["detalles"][0]["valor"] + 1000
    elif kind == "unbalanced_entry":
        rec["status"] = "posted"
        rec.setdefault("lines", [])
        if rec["lines"]:
            rec["lines"][0]["debit"] = plain((to_decimal(rec["lines"][0]["debit"]) or ZERO) + Decimal("10.5"))
            rec["debit_total"] = plain(sum((to_decimal(x["debit"]) or ZERO for x in rec["lines"]), ZERO))
        else:
            rec["debit_total"] = plain((to_decimal(rec["debit_total"]) or ZERO) + Decimal("10.5"))
    else:
        raise ValueError(f"unknown kind {kind!r}")
    world.insert(source, tenant, entity, day, rec)
    return {"ids": [rec[idf]], "kind": kind}


def _alter(source: str, rec: dict) -> None:
    if source == "smartpyme":
        rec["observaciones"] = "DUPLICADO"
        rec["total"] = fixed(rec["total"] + 1, 2)
    elif source == "arrendasoft":
        rec["nombre_tercero"] = rec["nombre_tercero"] + " DUPLICADO"
    elif source == "serpi":
        rec["nombreTerceroEnc"] = rec["nombreTerceroEnc"] + " DUPLICADO"
    else:
        rec["number"] = str(rec.get("number", "")) + "D"
