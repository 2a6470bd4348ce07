"""Hand-written page bodies for the dbt known-answer tests, shaped like the vendor documents' examples.

Edge cases on purpose: duplicates across pages (page shift), a later SmartPyme version on an earlier page,
a sale annulled after first being landed, an unbalanced SERPI document, malformed amounts ("12,50"),
impossible dates (2025-02-30), 4- and 5-decimal amounts, 12345678901234.5678, a conflicting duplicate
invoice in one snapshot, a record without its key, and receivables due exactly 0, 1, 30, 31, 90 and 91
days before AS_OF.
"""

from __future__ import annotations

from datetime import date
from string import Template

from raw_warehouse import Partition

AS_OF = date(2025, 4, 30)

CONNECTIONS = [
    ("acme_ec", "troyansys", "USD"),
    ("tienda_sv", "smartpyme", "USD"),
    ("contable_co", "serpi", "COP"),
    ("inmobiliaria_co", "arrendasoft", "COP"),
]

JAN = (date(2025, 1, 1), date(2025, 1, 31))
FEB = (date(2025, 2, 1), date(2025, 2, 28))
MAR = (date(2025, 3, 1), date(2025, 3, 31))
APR = (date(2025, 4, 1), date(2025, 4, 30))


def _json_bool(value: bool) -> str:
    return "true" if value else "false"


def _json_text(value: str | None) -> str:
    return "null" if value is None else f'"{value}"'


# --- Troyansys (acme_ec) -------------------------------------------------------------------------

TROYANSYS_SALES_SUMMARY_JAN = """{"docs": 4, "subtotal": 12345678901374.5678, "tax": 18, "total": 12345678901442.5678,
 "payment": {"payable_docs": 2, "payable_total": 158, "paid_total": 30, "pending_total": 128, "paid_docs": 0,
  "partial_docs": 1, "pending_docs": 1, "applied_advances": 0, "excess_as_advance": 0, "excess_as_tip": 0}}"""

TROYANSYS_SALES_JAN = [
    Template("""{"meta": {"current_page": 1, "last_page": 2, "per_page": 2, "total": 4},
 "summary": $summary,
 "data": [
  {"id": 120, "series": "001-001", "number": "000000120", "type": "invoice", "status": "issued",
   "issue_date": "2025-01-10", "due_date": "2025-01-25", "customer_id": 7, "customer_name": "Cliente Uno",
   "subtotal": "40.0000", "tax": "6.0000", "total": "46.0000", "paid_amount": 30, "pending_balance": 16,
   "payment_status": "partial"},
  {"id": 121, "series": "001-001", "number": "000000121", "type": "invoice", "status": "issued",
   "issue_date": "2025-01-15", "due_date": null, "customer_id": 8, "customer_name": "Cliente Dos",
   "subtotal": "100.0000", "tax": "12.0000", "total": "112.0000", "paid_amount": 0, "pending_balance": 112,
   "payment_status": "pending"}
 ]}""").substitute(summary=TROYANSYS_SALES_SUMMARY_JAN),
    Template("""{"meta": {"current_page": 2, "last_page": 2, "per_page": 2, "total": 4},
 "summary": $summary,
 "data": [
  {"id": 121, "series": "001-001", "number": "000000121", "type": "invoice", "status": "issued",
   "issue_date": "2025-01-15", "due_date": null, "customer_id": 8, "customer_name": "Cliente Dos",
   "subtotal": "100.0000", "tax": "12.0000", "total": "112.0000", "paid_amount": 0, "pending_balance": 112,
   "payment_status": "pending"},
  {"id": 122, "series": "002-001", "number": "000000120", "type": "quotation", "status": "draft",
   "issue_date": "2025-01-20", "due_date": "2025-02-19", "customer_id": 9, "customer_name": "Cliente Tres",
   "subtotal": 12345678901234.5678, "tax": 0, "total": 12345678901234.5678, "paid_amount": 0,
   "pending_balance": 12345678901234.5678, "payment_status": "pending"},
  {"id": 123, "series": "001-001", "number": "000000122", "type": "invoice", "status": "cancelled",
   "issue_date": "2025-01-28", "due_date": "2025-02-27", "customer_id": 7, "customer_name": "Cliente Uno",
   "subtotal": "50.00", "tax": "0.00", "total": "50.00", "paid_amount": 0, "pending_balance": 50,
   "payment_status": "pending"}
 ]}""").substitute(summary=TROYANSYS_SALES_SUMMARY_JAN),
]

TROYANSYS_SALES_FEB = [
    """{"meta": {"current_page": 1, "last_page": 1, "per_page": 100, "total": 4},
 "summary": {"docs": 4, "subtotal": 55.62345, "tax": 0, "total": 55.62345,
  "payment": {"payable_docs": 3, "pending_total": 43.12345}},
 "data": [
  {"id": 124, "series": "001-001", "number": "000000124", "type": "invoice", "status": "issued",
   "issue_date": "2025-02-05", "due_date": "2025-03-07", "customer_id": 7, "customer_name": "Cliente Uno",
   "subtotal": "10.12345", "tax": "0", "total": "10.12345", "paid_amount": 0, "pending_balance": "10.12345"},
  {"id": 125, "series": "001-001", "number": "000000125", "type": "invoice", "status": "issued",
   "issue_date": "2025-02-10", "due_date": "2025-02-30", "customer_id": 8, "customer_name": "Cliente Dos",
   "subtotal": "12.50", "tax": "0", "total": "12.50", "paid_amount": 0, "pending_balance": "12.50"},
  {"id": 126, "series": "001-001", "number": "000000126", "type": "invoice", "status": "issued",
   "issue_date": "2025-02-12", "due_date": "2025-03-14", "customer_id": 7, "customer_name": "Cliente Uno",
   "subtotal": "20.50", "tax": "0.00", "total": "20.50", "paid_amount": 0, "pending_balance": "20.5000"},
  {"id": 127, "series": "003-001", "number": "000000001", "type": "sales_order", "status": "draft",
   "issue_date": "2025-02-14", "due_date": null, "customer_id": 9, "customer_name": "Cliente Tres",
   "subtotal": "12,50", "tax": "0", "total": "12,50", "paid_amount": 0, "pending_balance": "12,50"}
 ]}"""
]

TROYANSYS_PURCHASES_JAN = [
    """{"summary": {"docs": 2, "subtotal": 591.18, "tax": 70.94, "total": 662.12},
 "data": [
  {"id": 33, "series": "001-001", "number": "000000041", "type": "supplier_invoice", "status": "issued",
   "issue_date": "2025-01-05", "supplier_id": 5, "supplier_name": "Proveedor A",
   "subtotal": "491.1800", "tax": "58.9400", "total": "550.1200"},
  {"id": 34, "series": "002-001", "number": "000000041", "type": "purchase_order", "status": "draft",
   "issue_date": "2025-01-06", "supplier_id": 6, "supplier_name": "Proveedor B",
   "subtotal": "100.0000", "tax": "12.0000", "total": "112.0000"}
 ]}"""
]

TROYANSYS_ACCOUNTING_JAN = [
    """{"summary": {"entries": 4, "debit_total": 270.00, "credit_total": 259.00},
 "data": [
  {"id": 20, "number": "AS-20", "entry_date": "2025-01-22", "status": "posted", "description": "Venta",
   "debit_total": 150.00, "credit_total": 150.00,
   "lines": [{"account_code": "1101", "account_name": "Caja", "debit": 150.00, "credit": 0},
             {"account_code": "4101", "account_name": "Ventas", "debit": 0, "credit": 150.00}]},
  {"id": 21, "entry_date": "2025-01-23", "status": "posted", "debit_total": 80.00, "credit_total": 80.00},
  {"id": 22, "number": "AS-22", "entry_date": "2025-01-24", "status": "draft",
   "debit_total": 30.00, "credit_total": 20.00,
   "lines": [{"account_code": "1101", "account_name": "Caja", "debit": 30.00, "credit": 0},
             {"account_code": "4101", "account_name": "Ventas", "debit": 0, "credit": 20.00}]},
  {"id": 23, "number": "AS-23", "entry_date": "2025-01-25", "status": "posted",
   "debit_total": 10.00, "credit_total": 9.00}
 ]}"""
]

TROYANSYS_INVENTORY = [
    """{"summary": {"total_qty": 128.333, "total_value": 45.35, "low_stock_items": 1, "zero_stock_items": 1},
 "data": [
  {"id": 55, "warehouse_id": 1, "product_id": 10, "sku": "LAP-01", "product_name": "Lapiz", "category_id": 1,
   "quantity": "120.000", "unit_cost": "0.35", "total_value": "42.00", "stock_alert_code": "ok",
   "stock_alert_label": "Normal"},
  {"id": 56, "warehouse_id": 1, "product_id": 11, "sku": "BOR-01", "product_name": "Borrador",
   "quantity": "0.000", "unit_cost": "2.50", "stock_alert_code": "zero", "stock_alert_label": "Sin stock"},
  {"id": 57, "warehouse_id": 2, "product_id": 10, "sku": "LAP-01", "product_name": "Lapiz",
   "quantity": "3.333", "unit_cost": "1.005", "stock_alert_code": "low", "stock_alert_label": "Bajo"},
  {"id": 58, "warehouse_id": 2, "product_id": 12, "quantity": "5.000", "stock_alert_code": "ok",
   "stock_alert_label": "Normal"},
  {"id": 59, "warehouse_id": 3, "product_id": 13, "quantity": "-2.000", "stock_alert_code": "ok",
   "stock_alert_label": "Normal"}
 ]}"""
]

TROYANSYS_DASHBOARD = [
    """{"kpis": {"sales_month": 2100.25, "collections_month": 1330, "purchases_month": 840.1,
  "active_products": 120, "stock_value": 18000, "draft_entries": 2, "available_advances": 320,
  "pending_receivables": 760.15},
 "charts": {"labels": ["Sep 2025", "Oct 2025"], "sales": [1200.5, 2100.25], "purchases": [730, 840.1],
  "top_products": {"labels": ["SERV-HOSTING", "DOM-PRO"], "values": [540.1, 420]}}}"""
]

# --- SmartPyme (tienda_sv) -----------------------------------------------------------------------

SALE_5001_V1 = """{"id": 5001, "fecha": "2025-03-10", "correlativo": "FAC-000101", "estado": "Completada",
   "forma_pago": "Efectivo", "iva": 22.75, "iva_retenido": 0.00, "total_costo": 130.00, "descuento": 5.00,
   "sub_total": 175.00, "propina": 0.00, "total": 197.75, "cotizacion": false, "saldo": 0.00,
   "nombre_cliente": "María López", "nombre_documento": "Factura", "fecha_expiracion": null,
   "created_at": "2025-03-10T15:00:00Z", "updated_at": "2025-03-10T15:00:00Z",
   "detalles": [
    {"nombre_producto": "Cuaderno", "codigo_producto": "CUA-01", "cantidad": 1, "precio": 100.00,
     "costo": 70.00, "descuento": 0.00, "total_costo": 70.00, "total": 100.00, "iva": 13.00},
    {"nombre_producto": "Lapicero", "codigo_producto": "LAP-02", "cantidad": 2, "precio": 40.00,
     "costo": 30.00, "descuento": 5.00, "total_costo": 60.00, "total": 75.00, "iva": 9.75}]}"""

SALE_5001_V2_ANNULLED = """{"id": 5001, "fecha": "2025-03-10", "correlativo": "FAC-000101", "estado": "Anulada",
   "forma_pago": "Efectivo", "iva": 13.00, "iva_retenido": 0.00, "total_costo": 70.00, "descuento": 0.00,
   "sub_total": 100.00, "propina": 0.00, "total": 113.00, "cotizacion": false, "saldo": 0.00,
   "nombre_cliente": "María López", "nombre_documento": "Factura", "fecha_expiracion": null,
   "created_at": "2025-03-10T15:00:00Z", "updated_at": "2025-03-17T09:00:00Z",
   "detalles": [
    {"nombre_producto": "Cuaderno", "codigo_producto": "CUA-01", "cantidad": 1, "precio": 100.00,
     "costo": 70.00, "descuento": 0.00, "total_costo": 70.00, "total": 100.00, "iva": 13.00}]}"""


def _sale_5002(estado: str, saldo: str, updated_at: str) -> str:
    return Template("""{"id": 5002, "fecha": "2025-03-12", "correlativo": "FAC-000102", "estado": "$estado",
   "iva": 6.50, "total_costo": 62.50, "descuento": 0.00, "sub_total": 50.00, "propina": 0.00, "total": 56.50,
   "cotizacion": false, "saldo": $saldo, "nombre_cliente": "Pedro Gómez", "nombre_documento": "Factura",
   "fecha_expiracion": "2025-04-11", "created_at": "2025-03-12T08:00:00Z", "updated_at": "$updated_at",
   "detalles": [{"nombre_producto": "Resma", "codigo_producto": "RES-01", "cantidad": 2.5, "precio": 20.00,
     "costo": 25.00, "descuento": 0.00, "total_costo": 62.50, "total": 50.00, "iva": 6.50}]}""").substitute(
        estado=estado, saldo=saldo, updated_at=updated_at)


SALE_5003_QUOTE = """{"id": 5003, "fecha": "2025-03-15", "correlativo": "COT-000001", "estado": "Cotizacion",
   "iva": 39.00, "total_costo": 240.00, "descuento": 0.00, "sub_total": 300.00, "propina": 0.00,
   "total": 339.00, "cotizacion": true, "saldo": 339.00, "nombre_cliente": "Empresa XYZ",
   "nombre_documento": "Cotizacion", "fecha_expiracion": "2025-04-15",
   "created_at": "2025-03-15T10:00:00Z", "updated_at": "2025-03-15T10:00:00Z",
   "detalles": [{"nombre_producto": "Silla", "codigo_producto": "SIL-01", "cantidad": 3, "precio": 100.00,
     "costo": 80.00, "descuento": 0.00, "total_costo": 240.00, "total": 300.00, "iva": 39.00}]}"""

SALE_5004_PENDING = """{"id": 5004, "fecha": "2025-03-20", "correlativo": "FAC-000103", "estado": "Pendiente",
   "iva": 0.0000, "total_costo": 750.00, "descuento": 0.00, "sub_total": 1234.5678, "propina": 1.0000,
   "total": 1235.5678, "cotizacion": false, "saldo": 1000.1234, "nombre_cliente": "Juan Pérez",
   "nombre_documento": "Factura", "fecha_expiracion": "2025-04-19",
   "created_at": "2025-03-20T10:00:00Z", "updated_at": "2025-03-20T10:00:00Z",
   "detalles": [{"nombre_producto": "Escritorio", "codigo_producto": "ESC-01", "cantidad": 1.5,
     "precio": 823.0452, "costo": 500.00, "descuento": 0.00, "total_costo": 750.00, "total": 1234.5678,
     "iva": 0.0000}]}"""

SALE_5005_NEGATIVE_QTY = """{"id": 5005, "fecha": "2025-03-21", "correlativo": "FAC-000104", "estado": "Completada",
   "iva": 3.90, "total_costo": 15.00, "descuento": 0.00, "sub_total": 30.00, "propina": 0.00, "total": 33.90,
   "cotizacion": false, "saldo": 0.00, "nombre_cliente": "Ana Ruiz", "nombre_documento": "Factura",
   "created_at": "2025-03-21T10:00:00Z", "updated_at": "2025-03-21T10:00:00Z",
   "detalles": [{"nombre_producto": "Tinta", "codigo_producto": "TIN-01", "cantidad": -3, "precio": 10.00,
     "costo": 5.00, "descuento": 0.00, "total_costo": 15.00, "total": 30.00, "iva": 3.90}]}"""

SALE_5006_PREVENTA = """{"id": 5006, "fecha": "2025-03-22", "correlativo": "PRE-000001", "estado": "Pre-venta",
   "iva": 1.30, "total_costo": 5.00, "descuento": 0.00, "sub_total": 10.00, "propina": 0.00, "total": 11.30,
   "cotizacion": false, "saldo": 11.30, "nombre_cliente": "Luis Mora", "nombre_documento": "Factura",
   "created_at": "2025-03-22T10:00:00Z", "updated_at": "2025-03-22T10:00:00Z",
   "detalles": [{"nombre_producto": "Clip", "codigo_producto": "CLI-01", "cantidad": 1, "precio": 10.00,
     "costo": 5.00, "descuento": 0.00, "total_costo": 5.00, "total": 10.00, "iva": 1.30}]}"""

SALE_WITHOUT_ID = """{"fecha": "2025-03-25", "correlativo": "FAC-000105", "estado": "Completada", "iva": 0.65,
   "descuento": 0.00, "sub_total": 5.00, "total": 5.65, "cotizacion": false, "saldo": 0.00, "nombre_cliente": "Sin Id",
   "nombre_documento": "Factura", "updated_at": "2025-03-25T10:00:00Z", "detalles": []}"""

SALE_5007_APRIL = """{"id": 5007, "fecha": "2025-04-02", "correlativo": "FAC-000106", "estado": "Pagada",
   "iva": 2.60, "total_costo": 10.00, "descuento": 0.00, "sub_total": 20.00, "propina": 0.00, "total": 22.60,
   "cotizacion": false, "saldo": 0.00, "nombre_cliente": "María López", "nombre_documento": "Ticket",
   "created_at": "2025-04-02T10:00:00Z", "updated_at": "2025-04-02T10:00:00Z",
   "detalles": [{"nombre_producto": "Cuaderno", "codigo_producto": "CUA-01", "cantidad": 1, "precio": 20.00,
     "costo": 10.00, "descuento": 0.00, "total_costo": 10.00, "total": 20.00, "iva": 2.60}]}"""


def _smartpyme_page(records: list[str], page: int, total_pages: int, total: int) -> str:
    return Template("""{"success": true, "data": [$records],
 "pagination": {"current_page": $page, "per_page": 4, "total": $total, "total_pages": $pages,
  "has_next": $has_next, "has_prev": $has_prev},
 "meta": {"empresa": "Tienda S.A. de C.V.", "timestamp": "2025-04-30T12:00:00Z", "filters_applied": {}}}""").substitute(
        records=",\n".join(records), page=page, total=total, pages=total_pages,
        has_next=_json_bool(page < total_pages), has_prev=_json_bool(page > 1))


# 5001 and 5002 each appear twice in one run: the later updated_at wins whatever page it is on.
SMARTPYME_SALES_MAR = [
    _smartpyme_page([SALE_5001_V1, _sale_5002("Completada", "0.00", "2025-03-14T10:00:00Z"), SALE_5003_QUOTE],
                    1, 2, 7),
    _smartpyme_page([SALE_5001_V2_ANNULLED, _sale_5002("Pendiente", "56.50", "2025-03-12T08:00:00Z"),
                     SALE_5004_PENDING, SALE_5005_NEGATIVE_QTY, SALE_5006_PREVENTA, SALE_WITHOUT_ID], 2, 2, 7),
]

SMARTPYME_SALES_APR = [_smartpyme_page([SALE_5007_APRIL], 1, 1, 1)]


def _summary(count: int, total: str, iva: str) -> str:
    return Template("""{"success": true, "data": {"cantidad_ventas": $count, "total_ventas": $total,
  "total_iva": $iva, "total_descuentos": 0.00, "promedio_venta": 0, "ventas_por_estado": []},
 "meta": {"empresa": "Tienda S.A. de C.V.", "timestamp": "2025-04-30T12:00:00Z"}}""").substitute(
        count=count, total=total, iva=iva)


SMARTPYME_SUMMARY_MAR = [_summary(7, "1794.9178", "64.35")]
SMARTPYME_SUMMARY_APR = [_summary(1, "22.60", "2.60")]

# --- SERPI (contable_co) -------------------------------------------------------------------------

SERPI_TYPES = [
    """{"success": true, "code": 200, "errors": null, "message": "3 registro(s) encontrados",
 "result": [{"id": 1, "categoriaDocumento": "NC", "prefijo": "RCA", "descripcion": "RECIBO DE CAJA"},
            {"id": 2, "categoriaDocumento": "NC", "prefijo": "NCC", "descripcion": "NOTA CONTABLE"},
            {"id": 15, "categoriaDocumento": "CCO", "prefijo": "COM", "descripcion": "COMPRAS"}]}"""
]


def _serpi_line(cuenta: int, naturaleza: str, valor: str, nit: str | None = "1234567890") -> str:
    return Template("""{"cuenta": $cuenta, "nitTerceroDet": $nit, "nombreTerceroDet": "ALEJANDRA LOPEZ LOPEZ",
     "naturaleza": "$naturaleza", "crucePrefijo": null, "cruceNumero": null, "fechaVencimiento": null,
     "valor": $valor, "baseImpuesto": 0.00000, "cuota": 0, "detalle": "MOVIMIENTO", "idSubcentroCosto": 4,
     "idCentroOperacion": 1, "idProyecto": null, "idActividad": null, "idSucursal": null}""").substitute(
        cuenta=cuenta, nit=_json_text(nit), naturaleza=naturaleza, valor=valor)


def _serpi_doc(doc_id: int, categoria: str, prefijo: str, numero: int, fecha: str, lines: list[str]) -> str:
    return Template("""{"id": $doc_id, "categoriaDocumento": "$categoria", "prefijo": "$prefijo",
   "numeroDoc": $numero, "nitTerceroEnc": "900123456", "nombreTerceroEnc": "EMPRESA ENCABEZADO",
   "fechaDocumento": "$fecha", "detalles": [$lines]}""").substitute(
        doc_id=doc_id, categoria=categoria, prefijo=prefijo, numero=numero, fecha=fecha, lines=",\n".join(lines))


def _serpi_page(docs: list[str]) -> str:
    return Template("""{"success": true, "code": 200, "errors": null, "message": "$count registro(s) encontrados",
 "result": [$docs]}""").substitute(count=len(docs), docs=",\n".join(docs))


SERPI_DOCS_JAN = [_serpi_page([
    _serpi_doc(101, "NC", "NCC", 7, "2025-01-15",
               [_serpi_line(11050501, "D", "500.00000"), _serpi_line(41350501, "C", "500.00000", nit=None)]),
])]

SERPI_DOCS_MAR = [
    _serpi_page([
        _serpi_doc(111, "CCO", "COM", 1, "2025-03-01",
                   [_serpi_line(52954501, "D", "67900.00000"), _serpi_line(23359501, "C", "67900.00000")]),
        _serpi_doc(112, "NC", "NCC", 1, "2025-03-10",
                   [_serpi_line(11050501, "D", "1000000.50000"), _serpi_line(41350501, "C", "1000000.50000")]),
        # unbalanced: 50,000 debit against 45,000 credit
        _serpi_doc(113, "CCO", "COM", 2, "2025-03-12",
                   [_serpi_line(52954501, "D", "50000.00000"), _serpi_line(23359501, "C", "45000.00000")]),
    ]),
    _serpi_page([
        _serpi_doc(114, "CCO", "COM", 3, "2025-03-20",
                   [_serpi_line(11050501, "D", '"12,50"'), _serpi_line(41350501, "C", "12.50000")]),
        _serpi_doc(115, "NC", "NCC", 2, "2025-03-21",
                   [_serpi_line(11050501, "D", "0.12345"), _serpi_line(41350501, "C", "0.12345")]),
        _serpi_doc(116, "NC", "NCC", 3, "2025-03-25",
                   [_serpi_line(11050501, "D", "250.25000"), _serpi_line(41350501, "C", "250.25000"),
                    _serpi_line(52954501, "D", "0.00000")]),
        _serpi_doc(117, "NC", "NCC", 4, "2025-02-30",
                   [_serpi_line(11050501, "D", "1.00000"), _serpi_line(41350501, "C", "1.00000")]),
    ]),
]


def _serpi_reported(windows: list[tuple[str, str, int]]) -> str:
    item = Template('{"fecha_desde": "$start", "fecha_hasta": "$end", "count": $count, '
                    '"message": "$count registro(s) encontrados"}')
    items = ", ".join(item.substitute(start=start, end=end, count=count) for start, end, count in windows)
    return Template('{"count": $count, "windows": [$items]}').substitute(
        count=sum(w[2] for w in windows), items=items)


# --- Arrendasoft (inmobiliaria_co) ---------------------------------------------------------------


def _invoice(fid: int, fecha: str, vence: str | None, total: str, saldo: str, doc: str, name: str,
             estado: str = "Facturada") -> str:
    return Template("""{"factura_id": $fid, "factura_numero": $numero, "resolucion": "0 - 120000042273",
   "fecha_factura": "$fecha", "fecha_vencimiento": $vence, "valor_total": "$total", "saldo": "$saldo",
   "documento_tercero": "$doc", "nombre_tercero": "$name", "estado": "$estado", "estado_dian": null,
   "estado_cliente_dian": null, "notas": 0, "creado_por": "Administrador", "fecha_envio_dian": null,
   "fecha_creacion": "$fecha 10:50:52"}""").substitute(
        fid=fid, numero=fid - 700, fecha=fecha, vence=_json_text(vence), total=total, saldo=saldo, doc=doc,
        name=name, estado=estado)


def _arrendasoft_page(invoices: list[str], page: int, pages: int, total: int) -> str:
    return Template("""{"status": 200, "message": null, "body": [$invoices],
 "pagination": {"total_records": $total, "total_pages": $pages, "current_page": $page, "page_size": 6,
  "current_page_records": $count, "has_next_page": $has_next, "has_previous_page": $has_prev}}""").substitute(
        invoices=",\n".join(invoices), total=total, pages=pages, page=page, count=len(invoices),
        has_next=_json_bool(page < pages), has_prev=_json_bool(page > 1))


ARRENDASOFT_MAR31 = [_arrendasoft_page([
    _invoice(1003, "2025-03-01", "2025-03-31", "300000.50", "300000.50", "901", "Beto"),
    _invoice(1004, "2025-03-01", "2025-03-30", "100000.00", "100000.00", "901", "Beto"),
    _invoice(1005, "2025-01-01", "2025-01-30", "250000.00", "250000.00", "902", "Carla"),
    _invoice(1006, "2025-01-01", "2025-01-29", "75000.00", "75000.00", "902", "Carla"),
    _invoice(1007, "2025-02-01", "2025-02-01", "80000.00", "80000.00", "903", "Diego"),
], 1, 1, 5)]

# Due 0, 1, 30, 31, 90 and 91 days before AS_OF (2025-04-30); 1004 repeats on page 2 (page shift);
# 1010 comes twice with different saldo (conflicting duplicate): the later page's 60000.00 is kept.
ARRENDASOFT_APR30 = [
    _arrendasoft_page([
        _invoice(1001, "2025-04-25", "2025-04-30", "1000000.00", "1000000.00", "900", "Ana"),
        _invoice(1002, "2025-04-01", "2025-04-29", "500000.00", "500000.00", "900", "Ana"),
        _invoice(1003, "2025-03-01", "2025-03-31", "300000.50", "200000.25", "901", "Beto"),
        _invoice(1004, "2025-03-01", "2025-03-30", "100000.00", "100000.00", "901", "Beto"),
        _invoice(1005, "2025-01-01", "2025-01-30", "250000.00", "250000.00", "902", "Carla"),
        _invoice(1010, "2025-04-10", None, "60000.00", "65000.00", "900", "Ana"),
    ], 1, 2, 10),
    _arrendasoft_page([
        _invoice(1004, "2025-03-01", "2025-03-30", "100000.00", "100000.00", "901", "Beto"),
        _invoice(1006, "2025-01-01", "2025-01-29", "75000.00", "75000.00", "902", "Carla"),
        _invoice(1007, "2025-02-01", "2025-02-01", "80000.00", "0.00", "903", "Diego", "Pagada"),
        _invoice(1008, "2025-02-15", "2025-03-15", "40000.00", "40000.00", "904", "Elena", "Anulada"),
        _invoice(1009, "2025-05-02", "2025-05-30", "10000.00", "10000.00", "905", "Fabio"),
        _invoice(1010, "2025-04-10", None, "60000.00", "60000.00", "900", "Ana"),
    ], 2, 2, 10),
]


def partitions() -> list[Partition]:
    """Every landed partition of the fixture warehouse."""
    troy = {"source": "troyansys", "tenant": "acme_ec"}
    spy = {"source": "smartpyme", "tenant": "tienda_sv"}
    serpi = {"source": "serpi", "tenant": "contable_co"}
    arr = {"source": "arrendasoft", "tenant": "inmobiliaria_co"}
    return [
        Partition(endpoint="sales", partition_key="2025-01", bodies=TROYANSYS_SALES_JAN, window=JAN,
                  reported=f'{{"total": 4, "summary": {TROYANSYS_SALES_SUMMARY_JAN}}}', **troy),
        Partition(endpoint="sales", partition_key="2025-02", bodies=TROYANSYS_SALES_FEB, window=FEB,
                  reported='{"total": 4, "summary": {"docs": 4, "total": 55.62345, '
                           '"payment": {"pending_total": 43.12345}}}', **troy),
        Partition(endpoint="purchases", partition_key="2025-01", bodies=TROYANSYS_PURCHASES_JAN, window=JAN,
                  reported='{"total": null, "summary": {"docs": 2, "subtotal": 591.18, "tax": 70.94, '
                           '"total": 662.12}}', **troy),
        Partition(endpoint="accounting", partition_key="2025-01", bodies=TROYANSYS_ACCOUNTING_JAN, window=JAN,
                  reported='{"total": null, "summary": {"entries": 4, "debit_total": 270.00, '
                           '"credit_total": 259.00}}', **troy),
        Partition(endpoint="inventory", partition_key="2025-04-30", bodies=TROYANSYS_INVENTORY,
                  snapshot_date=AS_OF, reported='{"total": null, "summary": {"total_qty": 128.333, '
                                                '"total_value": 45.35}}', **troy),
        Partition(endpoint="dashboard", partition_key="2025-04-30", bodies=TROYANSYS_DASHBOARD,
                  snapshot_date=AS_OF, **troy),
        Partition(endpoint="sales", partition_key="2025-03", bodies=SMARTPYME_SALES_MAR, window=MAR,
                  reported='{"total": 7}', **spy),
        Partition(endpoint="sales", partition_key="2025-04", bodies=SMARTPYME_SALES_APR, window=APR,
                  reported='{"total": 1}', **spy),
        Partition(endpoint="sales_summary", partition_key="2025-03", bodies=SMARTPYME_SUMMARY_MAR, window=MAR,
                  **spy),
        Partition(endpoint="sales_summary", partition_key="2025-04", bodies=SMARTPYME_SUMMARY_APR, window=APR,
                  **spy),
        Partition(endpoint="document_types", partition_key="2025-04-30", bodies=SERPI_TYPES, snapshot_date=AS_OF,
                  reported='{"count": 3}', **serpi),
        Partition(endpoint="documents", partition_key="2025-01", bodies=SERPI_DOCS_JAN, window=JAN,
                  reported=_serpi_reported([("2025-01-01", "2025-01-31", 1)]), **serpi),
        Partition(endpoint="documents", partition_key="2025-02", bodies=[], window=FEB,
                  reported=_serpi_reported([("2025-02-01", "2025-02-28", 0)]), **serpi),
        Partition(endpoint="documents", partition_key="2025-03", bodies=SERPI_DOCS_MAR, window=MAR,
                  reported=_serpi_reported([("2025-03-01", "2025-03-15", 3), ("2025-03-16", "2025-03-31", 4)]),
                  **serpi),
        Partition(endpoint="documents", partition_key="2025-04", bodies=[], window=APR,
                  reported=_serpi_reported([("2025-04-01", "2025-04-30", 0)]), **serpi),
        Partition(endpoint="invoices", partition_key="2025-03-31", bodies=ARRENDASOFT_MAR31,
                  snapshot_date=date(2025, 3, 31), reported='{"total_records": 5}', **arr),
        Partition(endpoint="invoices", partition_key="2025-04-30", bodies=ARRENDASOFT_APR30, snapshot_date=AS_OF,
                  reported='{"total_records": 10}', **arr),
    ]
