"""Deterministic record generation, one (source, tenant, entity, day) at a time.

Scale: scale N means about N x RATE records per tenant per day for each dated entity, where RATE is
troyansys sales 1, purchases 0.5, accounting entries 1; smartpyme sales 2 (about 3 lines each);
serpi documents 2 (about 3.3 lines each); arrendasoft invoices 1. Troyansys inventory holds
(16 + 2N products) x 2..3 warehouses rows. Example: scale 1 over 2025-01-01..2025-06-30 gives about
360 SmartPyme sales per tenant; scale 150 over 2025-01-01..2026-11-21 gives about 1.2 M SmartPyme sale
lines and 1.4 M SERPI journal lines in total.

Every day is generated from its own RNG seeded by (seed, source, tenant, entity, day), and the number of
records of a day from another RNG, so ids (the running count of earlier days) are known without
generating earlier days. Nothing here depends on `today`: moving time forward only adds days.
"""

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from . import catalog as cat
from .encoding import fixed, plain, round2

RATES: dict[tuple[str, str], float] = {
    ("troyansys", "sales"): 1.0,
    ("troyansys", "purchases"): 0.5,
    ("troyansys", "accounting"): 1.0,
    ("smartpyme", "sales"): 2.0,
    ("serpi", "documents"): 2.0,
    ("arrendasoft", "invoices"): 1.0,
}
DATED_ENTITIES = tuple(RATES)
ZERO = Decimal(0)


def rng_for(*parts: object) -> random.Random:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def day_count(seed: int, scale: float, source: str, tenant: str, entity: str, day: date) -> int:
    """How many records (source, tenant, entity) has on `day`."""
    rng = rng_for(seed, "count", source, tenant, entity, day.toordinal())
    mean = RATES[(source, entity)] * scale * (0.5 if day.weekday() == 6 else 1.0)
    if mean < 15:
        return rng.randint(0, round(2 * mean))
    return int(mean * rng.uniform(0.75, 1.25))


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(cat.FIRST_NAMES)} {rng.choice(cat.LAST_NAMES)} {rng.choice(cat.LAST_NAMES)}"


def _company(rng: random.Random, country: str) -> str:
    return f"{rng.choice(cat.COMPANY_WORDS)} {rng.choice(cat.COMPANY_NAMES)} {rng.choice(cat.COMPANY_SUFFIX[country])}"


@lru_cache(maxsize=64)
def parties(seed: int, tenant: str, kind: str, scale: float) -> tuple[tuple[str, str], ...]:
    """A tenant's customers or suppliers: (identifier, name)."""
    rng = rng_for(seed, "parties", tenant, kind)
    size = 25 + int(4 * scale)
    country = tenant.rsplit("_", 1)[-1]
    out = []
    for i in range(size):
        if country == "co":
            if rng.random() < 0.6:
                nit = str(rng.randint(800000000, 901999999))
                out.append((nit, _company(rng, "co").upper()))
            else:
                out.append((str(rng.randint(10000000, 1199999999)), _person(rng).upper()))
        elif country == "ec":
            out.append((str(1000 + i), _company(rng, "ec") if rng.random() < 0.7 else _person(rng)))
        else:
            out.append((str(1000 + i), _person(rng)))
    return tuple(out)


def _clock(rng: random.Random, day: date, n: int) -> list[str]:
    """n ascending times of day between 07:00 and 20:59 (seconds), as HH:MM:SS."""
    secs = sorted(rng.randint(7 * 3600, 21 * 3600 - 1) for _ in range(n))
    return [f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}" for s in secs]


# ---------------------------------------------------------------- Troyansys

def troyansys_sales(rng: random.Random, seed: int, scale: float, tenant: str, day: date, first_id: int,
                    count: int) -> list[dict]:
    customers = parties(seed, tenant, "customers", scale)
    out = []
    for i in range(count):
        typ = _weighted(rng, (("invoice", 80), ("sales_order", 12), ("quotation", 8)))
        status = _weighted(rng, {
            "invoice": (("issued", 85), ("draft", 5), ("cancelled", 10)),
            "sales_order": (("issued", 70), ("draft", 20), ("cancelled", 10)),
            "quotation": (("draft", 60), ("issued", 30), ("cancelled", 10)),
        }[typ])
        cust_id, cust_name = rng.choice(customers)
        subtotal = Decimal(rng.randint(500, 250000)).scaleb(-2)
        tax = ZERO if rng.random() < 0.1 else round2(subtotal * Decimal("0.15"))
        total = subtotal + tax
        paid = ZERO
        if typ == "invoice" and status == "issued":
            r = rng.random()
            if r < 0.55:
                paid = total
            elif r < 0.75:
                paid = round2(total * Decimal(rng.randint(10, 90)) / 100)
        rec = {
            "id": first_id + i,
            "series": {"invoice": "001-001", "sales_order": "001-002", "quotation": "001-003"}[typ],
            "number": f"{first_id + i:09d}",
            "type": typ,
            "status": status,
            "issue_date": day.isoformat(),
            "due_date": (day + timedelta(days=30 if typ == "invoice" else 15)).isoformat(),
            "customer_id": int(cust_id),
            "customer_name": cust_name,
            "subtotal": plain(subtotal),
            "tax": plain(tax),
            "total": format(fixed(total, 4), "f"),
            "paid_amount": ZERO,
            "pending_balance": ZERO,
            "payment_status": "pending",
        }
        set_troyansys_payment(rec, paid)
        out.append(rec)
    return out


def set_troyansys_payment(rec: dict, paid: Decimal) -> None:
    """Apply `paid` to a sales document: pending_balance and payment_status follow from it."""
    total = Decimal(rec["total"])
    pending = total - paid
    rec["paid_amount"] = plain(paid)
    rec["pending_balance"] = plain(pending)
    rec["payment_status"] = "paid" if pending == 0 else ("partial" if paid > 0 else "pending")


def troyansys_purchases(rng: random.Random, seed: int, scale: float, tenant: str, day: date, first_id: int,
                        count: int) -> list[dict]:
    suppliers = parties(seed, tenant, "suppliers", scale)
    out = []
    for i in range(count):
        typ = _weighted(rng, (("purchase_order", 30), ("supplier_invoice", 70)))
        status = _weighted(rng, (("issued", 80), ("draft", 10), ("cancelled", 10)))
        sup_id, sup_name = rng.choice(suppliers)
        subtotal = Decimal(rng.randint(2000, 900000)).scaleb(-2)
        tax = ZERO if rng.random() < 0.15 else round2(subtotal * Decimal("0.15"))
        out.append({
            "id": first_id + i,
            "series": "001-001" if typ == "supplier_invoice" else "OC-001",
            "number": f"{first_id + i:09d}",
            "type": typ,
            "status": status,
            "issue_date": day.isoformat(),
            "supplier_id": int(sup_id),
            "supplier_name": sup_name,
            "subtotal": plain(subtotal),
            "tax": plain(tax),
            "total": format(fixed(subtotal + tax, 4), "f"),
        })
    return out


_EC_TEMPLATES = (
    ("Venta a crédito", (("receivable", "D", "total"), ("sales", "C", "base"), ("vat_due", "C", "tax"))),
    ("Compra de mercadería", (("inventory", "D", "base"), ("vat_paid", "D", "tax"), ("payable", "C", "total"))),
    ("Rol de pagos", (("salaries", "D", "base"), ("payroll_due", "C", "base"))),
    ("Pago a proveedor", (("payable", "D", "base"), ("bank", "C", "base"))),
    ("Cobro a cliente", (("bank", "D", "base"), ("receivable", "C", "base"))),
    ("Arriendo oficina", (("rent", "D", "base"), ("bank", "C", "base"))),
    ("Costo de ventas", (("cogs", "D", "base"), ("inventory", "C", "base"))),
    ("Servicios básicos", (("utilities", "D", "base"), ("cash", "C", "base"))),
)


def troyansys_accounting(rng: random.Random, seed: int, scale: float, tenant: str, day: date, first_id: int,
                         count: int) -> list[dict]:
    out = []
    for i in range(count):
        description, template = rng.choice(_EC_TEMPLATES)
        status = "posted" if rng.random() < 0.9 else "draft"
        base = Decimal(rng.randint(1000, 500000)).scaleb(-2)
        tax = round2(base * Decimal("0.15"))
        amounts = {"base": base, "tax": tax, "total": base + tax}
        lines = []
        for key, side, amount_key in template:
            code, name = cat.EC_ACCOUNTS[key]
            value = amounts[amount_key]
            lines.append({"account_code": code, "account_name": name,
                          "debit": plain(value) if side == "D" else Decimal(0),
                          "credit": plain(value) if side == "C" else Decimal(0)})
        if status == "draft" and rng.random() < 0.4:
            line = lines[-1]
            field = "debit" if line["debit"] else "credit"
            line[field] = plain(line[field] + Decimal(rng.randint(1, 500)).scaleb(-2))
        rec = {
            "id": first_id + i,
            "entry_date": day.isoformat(),
            "status": status,
            "number": f"AS-{first_id + i:07d}",
            "description": description,
            "debit_total": plain(sum((ln["debit"] for ln in lines), ZERO)),
            "credit_total": plain(sum((ln["credit"] for ln in lines), ZERO)),
        }
        if rng.random() >= 0.05:
            rec["lines"] = lines
        out.append(rec)
    return out


def troyansys_inventory(seed: int, scale: float, tenant: str) -> list[dict]:
    rng = rng_for(seed, "troyansys", tenant, "inventory")
    products = [(sku, name, category, Decimal(cost)) for sku, name, category, cost in cat.EC_PRODUCTS]
    for k in range(2 * int(max(scale, 1))):
        products.append((f"PRD-{k + 1:04d}", f"Producto genérico {k + 1:04d}", 6 + k % 4,
                         Decimal(rng.randint(50, 40000)).scaleb(-4 + 2).quantize(Decimal("0.0001"))))
    warehouses = 3 if rng.random() < 0.5 else 2
    out = []
    row_id = 1
    for warehouse_id in range(1, warehouses + 1):
        for p, (sku, name, category, cost) in enumerate(products):
            r = rng.random()
            if r < 0.08:
                qty = Decimal(0)
            elif r < 0.2:
                qty = Decimal(rng.randint(1, 5))
            elif r < 0.35:
                qty = Decimal(rng.randint(6000, 250000)).scaleb(-3)
            else:
                qty = Decimal(rng.randint(6, 500))
            unit_cost = (cost * Decimal(rng.randint(95, 105)) / 100).quantize(Decimal("0.0001"))
            rec = {"id": row_id, "warehouse_id": warehouse_id, "product_id": 10 + p, "quantity": "",
                   "stock_alert_code": "", "stock_alert_label": "", "sku": sku, "product_name": name,
                   "category_id": category, "unit_cost": plain(unit_cost), "total_value": ZERO}
            set_inventory_quantity(rec, qty)
            out.append(rec)
            row_id += 1
    return out


def set_inventory_quantity(rec: dict, qty: Decimal) -> None:
    rec["quantity"] = format(fixed(qty, 3), "f")
    code, label = ("out", "Sin stock") if qty <= 0 else (("low", "Stock bajo") if qty <= 5 else ("ok", "Normal"))
    rec["stock_alert_code"], rec["stock_alert_label"] = code, label
    rec["total_value"] = plain(round2(qty * Decimal(rec["unit_cost"])))


# ---------------------------------------------------------------- SmartPyme



def _m(value: Decimal) -> Decimal:
    return fixed(value, 2)


def smartpyme_sales(rng: random.Random, seed: int, scale: float, tenant: str, day: date, first_id: int,
                    count: int) -> list[dict]:
    customers = parties(seed, tenant, "customers", scale)
    times = _clock(rng, day, count)
    products = cat.SV_PRODUCTS[:12] if tenant.startswith("tienda") else cat.SV_PRODUCTS[8:]
    out = []
    for i in range(count):
        sale_id = first_id + i
        estado = _weighted(rng, (("Completada", 70), ("Pagada", 8), ("Pendiente", 10), ("Anulada", 5),
                                 ("Cotizacion", 5), ("Pre-venta", 2)))
        lines = []
        for _ in range(rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6))):
            name, code, brand, price, cost = rng.choice(products)
            qty = Decimal(rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 10, 12)))
            price_d, cost_d = Decimal(price), Decimal(cost)
            discount = ZERO if rng.random() < 0.8 else round2(qty * price_d * Decimal(rng.choice((5, 10, 15))) / 100)
            total = round2(qty * price_d - discount)
            lines.append({
                "nombre_producto": name, "codigo_producto": code, "marca_producto": brand,
                "cantidad": int(qty), "precio": _m(price_d), "costo": _m(cost_d), "descuento": _m(discount),
                "total_costo": _m(qty * cost_d), "total": _m(total), "iva": _m(round2(total * Decimal("0.13"))),
            })
        created = f"{day.isoformat()}T{times[i]}Z"
        quotation = estado == "Cotizacion"
        rec = {
            "id": sale_id,
            "fecha": day.isoformat(),
            "correlativo": f"{'COT' if quotation else 'FAC'}-{sale_id:06d}",
            "estado": estado,
            "forma_pago": rng.choice(cat.SV_PAYMENTS),
            "monto_pago": ZERO, "cambio": ZERO, "iva_percibido": _m(ZERO), "iva_retenido": _m(ZERO),
            "renta_retenida": _m(ZERO), "iva": ZERO, "total_costo": ZERO, "descuento": ZERO, "sub_total": ZERO,
            "no_sujeta": _m(ZERO), "exenta": _m(ZERO), "gravada": ZERO, "cuenta_a_terceros": _m(ZERO),
            "total": ZERO,
            "propina": _m(Decimal(rng.choice((100, 150, 200, 300))).scaleb(-2)) if rng.random() < 0.05 else _m(ZERO),
            "observaciones": rng.choice(("", "Entrega en tienda", "Cliente frecuente", "Entrega a domicilio",
                                         "Pago contra entrega")),
            "recurrente": rng.random() < 0.03,
            "cotizacion": quotation,
            "saldo": ZERO,
            "fecha_expiracion": None,
            "nombre_cliente": rng.choice(customers)[1] if rng.random() < 0.8 else "Clientes Varios",
            "nombre_usuario": rng.choice(("admin", "caja1", "caja2", "ventas")),
            "nombre_vendedor": _person(rng).rsplit(" ", 1)[0],
            "nombre_sucursal": rng.choice(cat.SV_BRANCHES),
            "nombre_canal": rng.choice(cat.SV_CHANNELS),
            "nombre_documento": "Cotización" if quotation else rng.choice(cat.SV_DOCUMENTS),
            "created_at": created,
            "updated_at": created,
            "detalles": lines,
        }
        set_smartpyme_totals(rec)
        if estado == "Pendiente":
            rec["saldo"] = rec["total"] if rng.random() < 0.7 else _m(round2(rec["total"] * Decimal("0.5")))
            rec["fecha_expiracion"] = (day + timedelta(days=rng.choice((15, 30, 45)))).isoformat()
        elif estado in ("Cotizacion", "Pre-venta"):
            rec["saldo"] = rec["total"]
            rec["fecha_expiracion"] = (day + timedelta(days=15)).isoformat()
        elif estado in ("Completada", "Pagada"):
            pay = rec["total"]
            if rec["forma_pago"] == "Efectivo":
                pay = _m(Decimal(int(pay / 5) + 1) * 5) if rng.random() < 0.6 else pay
            rec["monto_pago"], rec["cambio"] = _m(pay), _m(pay - rec["total"])
        if rec["sub_total"] > 1000 and estado != "Cotizacion":
            rec["iva_retenido"] = _m(round2(rec["sub_total"] * Decimal("0.01")))
        out.append(rec)
    return out


def set_smartpyme_totals(rec: dict) -> None:
    """sub_total, iva, descuento, total from the lines: total = sub_total + iva + propina."""
    lines = rec["detalles"]
    rec["sub_total"] = _m(sum((ln["total"] for ln in lines), ZERO))
    rec["gravada"] = rec["sub_total"]
    rec["iva"] = _m(sum((ln["iva"] for ln in lines), ZERO))
    rec["descuento"] = _m(sum((ln["descuento"] for ln in lines), ZERO))
    rec["total_costo"] = _m(sum((ln["total_costo"] for ln in lines), ZERO))
    rec["total"] = _m(rec["sub_total"] + rec["iva"] + rec["propina"])


# ---------------------------------------------------------------- SERPI

_SERPI_WEIGHTS = (("FVE", 30), ("COM", 20), ("RCA", 15), ("CEG", 12), ("NOM", 5), ("NCC", 5), ("CPR", 6),
                  ("CDO", 4), ("DEP", 3))
SERPI_TYPE_ID = {prefix: type_id for type_id, _, prefix, _ in cat.SERPI_DOCUMENT_TYPES}
_SERPI_TYPE = {prefix: (type_id, category) for type_id, category, prefix, _ in cat.SERPI_DOCUMENT_TYPES}
P5 = Decimal("0.00001")


def _serpi_lines(prefix: str, rng: random.Random) -> list[tuple[str, str, Decimal, Decimal]]:
    """(account key, nature, value, tax base) lines of one document, balanced."""
    base = Decimal(rng.randint(20, 20000) * 1000 + rng.choice((0, 0, 500, 900)))
    iva = round2(base * Decimal("0.19")).quantize(Decimal(1))
    rete = round2(base * Decimal("0.025")).quantize(Decimal(1))
    if prefix == "FVE":
        cost = (base * Decimal(rng.randint(55, 80)) / 100).quantize(Decimal(1))
        return [("clientes", "D", base + iva, ZERO), ("ingresos", "C", base, ZERO), ("iva_generado", "C", iva, base),
                ("costo_ventas", "D", cost, ZERO), ("inventario", "C", cost, ZERO)]
    if prefix == "COM":
        return [("inventario", "D", base, ZERO), ("iva_descontable", "D", iva, base),
                ("retefuente", "C", rete, base), ("proveedores", "C", base + iva - rete, ZERO)]
    if prefix == "RCA":
        return [("bancos", "D", base, ZERO), ("clientes", "C", base, ZERO)]
    if prefix == "CEG":
        return [("proveedores", "D", base, ZERO), ("bancos", "C", base, ZERO)]
    if prefix == "NOM":
        aportes = (base * Decimal("0.08")).quantize(Decimal(1))
        return [("gasto_personal", "D", base, ZERO), ("aportes", "C", aportes, ZERO),
                ("salarios_pagar", "C", base - aportes, ZERO)]
    if prefix == "DEP":
        return [("gasto_depreciacion", "D", base, ZERO), ("depreciacion_acum", "C", base, ZERO)]
    if prefix == "CPR":
        labor = (base * Decimal("0.6")).quantize(Decimal(1))
        return [("mano_obra", "D", labor, ZERO), ("cif", "D", base - labor, ZERO),
                ("materia_prima", "C", base, ZERO)]
    if prefix == "CDO":
        return [("deudoras_control", "D", base, ZERO), ("deudoras_por_contra", "C", base, ZERO),
                ("acreedoras_por_contra", "D", base, ZERO), ("acreedoras_control", "C", base, ZERO)]
    # NCC: equity, income and expense adjustments
    return [("gasto_arriendo", "D", base, ZERO), ("ingresos_serv", "D", base, ZERO),
            ("utilidad", "C", base, ZERO), ("capital", "C", base, ZERO)]


def serpi_documents(rng: random.Random, seed: int, scale: float, tenant: str, day: date, first_id: int,
                    count: int, id_base: int = 0) -> list[dict]:
    parties_ = parties(seed, tenant, "terceros", scale)
    out = []
    for i in range(count):
        prefix = _weighted(rng, _SERPI_WEIGHTS)
        _, category = _SERPI_TYPE[prefix]
        nit, name = rng.choice(parties_)
        doc_id = first_id + i
        lines = _serpi_lines(prefix, rng)  # balanced: unbalanced documents come only from /_control/inject
        detalles = []
        for key, nature, value, base in lines:
            other = rng.random() < 0.1
            det_nit, det_name = rng.choice(parties_) if other else (nit, name)
            cruce = key in ("clientes", "proveedores") and nature == "C"
            detalles.append({
                "cuenta": cat.PUC[key],
                "nitTerceroDet": det_nit,
                "nombreTerceroDet": det_name,
                "naturaleza": nature,
                "crucePrefijo": prefix if cruce else None,
                "cruceNumero": rng.randint(1, max(2, doc_id - id_base)) if cruce else None,
                "fechaVencimiento": (day + timedelta(days=30)).isoformat() if key in ("clientes", "proveedores")
                and nature == "D" else None,
                "valor": value.quantize(P5),
                "baseImpuesto": base.quantize(P5),
                "cuota": 0,
                "detalle": cat.SERPI_DETAILS[prefix],
                "idSubcentroCosto": rng.choice((None, 1, 2, 3, 4)),
                "idCentroOperacion": rng.randint(1, 3),
                "idProyecto": rng.randint(1, 6) if tenant.startswith("constructora") else None,
                "idActividad": None,
                "idSucursal": None,
            })
        out.append({
            "id": doc_id,
            "categoriaDocumento": category,
            "prefijo": prefix,
            "numeroDoc": doc_id - id_base + 1,
            "nitTerceroEnc": nit,
            "nombreTerceroEnc": name,
            "fechaDocumento": day.isoformat(),
            "detalles": detalles,
        })
    return out


# ---------------------------------------------------------------- Arrendasoft

def arrendasoft_invoices(rng: random.Random, seed: int, scale: float, tenant: str, day: date, first_id: int,
                         count: int, id_base: int = 1) -> list[dict]:
    tenants_ = parties(seed, tenant, "arrendatarios", scale)
    times = _clock(rng, day, count)
    out = []
    for i in range(count):
        inv_id = first_id + i
        doc, name = rng.choice(tenants_)
        total = Decimal(rng.randint(650, 4800) * 1000 + rng.choice((0, 0, 35000, 52000)))
        r = rng.random()
        if r < 0.03:
            estado, saldo = "Anulada", ZERO
        elif r < 0.73:
            estado, saldo = "Pagada", ZERO
        elif r < 0.83:
            estado, saldo = "Facturada", Decimal(rng.randint(10, 90)) * total / 100
        else:
            estado, saldo = "Facturada", total
        electronic = rng.random() < 0.6
        created = day + timedelta(days=rng.choice((0, 0, 0, 1, 2)))
        out.append({
            "factura_id": inv_id,
            "factura_numero": inv_id - id_base + 1,
            "resolucion": "18764000001234 - FE" if electronic else "0 - 120000042273",
            "fecha_factura": day.isoformat(),
            "fecha_vencimiento": (day + timedelta(days=rng.choice((5, 5, 10)))).isoformat(),
            "valor_total": format(fixed(total, 2), "f"),
            "saldo": format(fixed(saldo, 2), "f"),
            "documento_tercero": doc,
            "nombre_tercero": name,
            "estado": estado,
            "estado_dian": "Aceptada" if electronic else None,
            "estado_cliente_dian": rng.choice(("Aceptada", "Aceptada", "Pendiente")) if electronic else None,
            "notas": 1 if rng.random() < 0.04 else 0,
            "creado_por": rng.choice(cat.ARR_USERS),
            "fecha_envio_dian": f"{created.isoformat()} {times[i]}" if electronic else None,
            "fecha_creacion": f"{created.isoformat()} {times[i]}",
        })
    return out


DAY_GENERATORS = {
    ("troyansys", "sales"): troyansys_sales,
    ("troyansys", "purchases"): troyansys_purchases,
    ("troyansys", "accounting"): troyansys_accounting,
    ("smartpyme", "sales"): smartpyme_sales,
    ("serpi", "documents"): serpi_documents,
    ("arrendasoft", "invoices"): arrendasoft_invoices,
}
DATE_FIELDS = {
    ("troyansys", "sales"): "issue_date",
    ("troyansys", "purchases"): "issue_date",
    ("troyansys", "accounting"): "entry_date",
    ("smartpyme", "sales"): "fecha",
    ("serpi", "documents"): "fechaDocumento",
    ("arrendasoft", "invoices"): "fecha_factura",
}
ID_FIELDS = {("arrendasoft", "invoices"): "factura_id"}


def id_field(source: str, entity: str) -> str:
    return ID_FIELDS.get((source, entity), "id")


def generate_day(seed: int, scale: float, source: str, tenant: str, entity: str, day: date, first_id: int,
                 count: int, id_base: int) -> list[dict]:
    rng = rng_for(seed, source, tenant, entity, day.toordinal())
    fn = DAY_GENERATORS[(source, entity)]
    if source in ("serpi", "arrendasoft"):
        return fn(rng, seed, scale, tenant, day, first_id, count, id_base=id_base)
    return fn(rng, seed, scale, tenant, day, first_id, count)
