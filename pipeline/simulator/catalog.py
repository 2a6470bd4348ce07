"""Realistic names, products and accounts the generator draws from."""

FIRST_NAMES = (
    "María", "José", "Juan", "Ana", "Luis", "Carmen", "Carlos", "Rosa", "Jorge", "Lucía", "Pedro", "Sofía",
    "Miguel", "Valentina", "Andrés", "Camila", "Diego", "Daniela", "Fernando", "Gabriela", "Ricardo", "Paola",
    "Mauricio", "Verónica", "Óscar", "Patricia", "Héctor", "Marisol", "Edwin", "Yolanda", "Wilson", "Xiomara",
)
LAST_NAMES = (
    "López", "García", "Martínez", "Rodríguez", "Hernández", "Pérez", "Gómez", "Sánchez", "Ramírez", "Torres",
    "Flores", "Rivera", "Castillo", "Morales", "Ortiz", "Vargas", "Romero", "Mejía", "Zambrano", "Cedeño",
    "Quispe", "Andrade", "Guerrero", "Cárdenas", "Ospina", "Restrepo", "Orellana", "Alvarado", "Menjívar", "Chávez",
)
COMPANY_WORDS = (
    "Comercial", "Distribuidora", "Inversiones", "Servicios", "Importadora", "Agroindustrial", "Transportes",
    "Ferretería", "Farmacia", "Constructora", "Tecnología", "Suministros",
)
COMPANY_NAMES = ("Andes", "Pacífico", "El Sol", "La Cima", "Del Valle", "Horizonte", "San Miguel", "Cotopaxi",
                 "Santa Ana", "Nevado", "Guayas", "Magdalena", "Cuscatlán", "Chimborazo")
COMPANY_SUFFIX = {"ec": ("S.A.", "Cía. Ltda."), "sv": ("S.A. de C.V.",), "co": ("S.A.S.", "Ltda.")}

# SmartPyme (El Salvador): name, code, brand, price, cost
SV_PRODUCTS = (
    ("Laptop Dell Inspiron 15", "LAP-DELL-015", "Dell", "649.00", "480.00"),
    ("Mouse inalámbrico Logitech M185", "MOU-LOG-185", "Logitech", "14.95", "8.10"),
    ("Teclado Genius KB-110", "TEC-GEN-110", "Genius", "9.75", "5.40"),
    ("Monitor Samsung 24\"", "MON-SAM-024", "Samsung", "163.75", "120.00"),
    ("Café Listo molido 400 g", "CAF-LIS-400", "Café Listo", "4.85", "3.20"),
    ("Arroz San Francisco 5 lb", "ARR-SFR-005", "San Francisco", "3.45", "2.30"),
    ("Frijol rojo seda 2 lb", "FRI-ROJ-002", "Doña Chepita", "2.15", "1.40"),
    ("Aceite Orisol 1 L", "ACE-ORI-001", "Orisol", "3.99", "2.75"),
    ("Martillo Truper 16 oz", "MAR-TRU-016", "Truper", "11.50", "7.20"),
    ("Cemento Holcim 42.5 kg", "CEM-HOL-042", "Holcim", "9.25", "7.60"),
    ("Tubo PVC 1/2\" x 6 m", "TUB-PVC-012", "Amanco", "4.40", "2.95"),
    ("Pintura Sur látex galón", "PIN-SUR-GAL", "Pinturas Sur", "21.90", "14.30"),
    ("Foco LED 9 W", "FOC-LED-009", "Sylvania", "1.95", "0.98"),
    ("Cable eléctrico THHN 12 (m)", "CAB-THH-012", "Phelps Dodge", "0.85", "0.52"),
    ("Taladro Black+Decker 1/2\"", "TAL-BDK-012", "Black+Decker", "54.99", "39.00"),
    ("Impresora Epson L3250", "IMP-EPS-325", "Epson", "219.00", "168.00"),
    ("Tóner HP 85A", "TON-HP-085", "HP", "62.50", "44.00"),
    ("Resma papel bond carta", "PAP-BON-CAR", "Chamex", "5.75", "3.90"),
    ("Gaseosa Tropical 2.5 L", "GAS-TRO-025", "Tropical", "1.85", "1.15"),
    ("Servicio de instalación", "SRV-INS-001", "Propio", "35.00", "12.00"),
)
SV_DOCUMENTS = ("Factura", "Ticket", "Crédito Fiscal")
SV_CHANNELS = ("Mostrador", "En línea", "WhatsApp", "Ruta")
SV_BRANCHES = ("Sucursal Central", "Sucursal Santa Ana", "Sucursal San Miguel")
SV_PAYMENTS = ("Efectivo", "Tarjeta", "Transferencia", "Cheque")

# Troyansys (Ecuador): sku, name, category_id, unit cost
EC_PRODUCTS = (
    ("SERV-HOSTING", "Hosting anual plan negocio", 1, "48.0000"),
    ("DOM-PRO", "Dominio .com.ec profesional", 1, "21.5000"),
    ("LAPIZ-HB", "Lápiz grafito HB caja x12", 2, "1.8500"),
    ("CUAD-100", "Cuaderno universitario 100 hojas", 2, "1.2000"),
    ("TONER-85A", "Tóner compatible 85A", 3, "18.7500"),
    ("RESMA-A4", "Resma papel A4 75 g", 2, "3.9000"),
    ("SILLA-ERG", "Silla ergonómica oficina", 4, "89.9000"),
    ("ESCR-120", "Escritorio 120 cm melamínico", 4, "112.4000"),
    ("ROUTER-AX", "Router WiFi 6 AX1800", 3, "54.3000"),
    ("UPS-1000", "UPS 1000 VA interactiva", 3, "97.1250"),
    ("CAFE-LOJA", "Café de Loja tostado 500 g", 5, "6.4000"),
    ("AGUA-20L", "Botellón agua 20 L", 5, "1.7500"),
    ("CABLE-UTP", "Cable UTP cat6 caja 305 m", 3, "128.0000"),
    ("LIC-ERP", "Licencia ERP usuario mensual", 1, "15.0000"),
    ("MOUSE-USB", "Mouse óptico USB", 3, "4.2500"),
    ("CARP-ARCH", "Carpeta archivadora lomo ancho", 2, "2.1000"),
)
EC_ACCOUNTS = {
    "cash": ("1.1.01.01", "Caja general"),
    "bank": ("1.1.01.02", "Bancos locales"),
    "receivable": ("1.1.02.01", "Cuentas por cobrar clientes"),
    "inventory": ("1.1.03.01", "Inventario de mercaderías"),
    "vat_paid": ("1.1.05.01", "IVA en compras"),
    "payable": ("2.1.01.01", "Proveedores locales"),
    "vat_due": ("2.1.04.01", "IVA por pagar"),
    "payroll_due": ("2.1.05.01", "Sueldos por pagar"),
    "capital": ("3.1.01.01", "Capital suscrito"),
    "sales": ("4.1.01.01", "Ventas tarifa 15%"),
    "cogs": ("5.1.01.01", "Costo de ventas"),
    "salaries": ("5.2.01.01", "Sueldos y salarios"),
    "rent": ("5.2.02.03", "Arriendo de oficinas"),
    "utilities": ("5.2.02.05", "Servicios básicos"),
}

# SERPI (Colombia): document types and PUC accounts of every class
SERPI_DOCUMENT_TYPES = (
    (1, "NC", "RCA", "RECIBO DE CAJA"),
    (2, "NC", "NCC", "NOTA CONTABLE"),
    (3, "CCO", "COM", "COMPROBANTE DE COMPRA"),
    (4, "FV", "FVE", "FACTURA DE VENTA ELECTRONICA"),
    (5, "CE", "CEG", "COMPROBANTE DE EGRESO"),
    (6, "NOM", "NOM", "NOMINA"),
    (7, "DEP", "DEP", "DEPRECIACION"),
    (15, "CPR", "CPR", "COSTOS DE PRODUCCION"),
    (16, "CO", "CDO", "CUENTAS DE ORDEN"),
)
PUC = {
    "caja": 11050501, "bancos": 11100501, "clientes": 13050501, "anticipo_imp": 13551501,
    "inventario": 14350501, "materia_prima": 14050501, "equipo": 15240501, "depreciacion_acum": 15920501,
    "proveedores": 22050501, "retefuente": 23654001, "iva_generado": 24080101, "iva_descontable": 24080201,
    "salarios_pagar": 25050101, "aportes": 23700501, "capital": 31050501, "utilidad": 36050101,
    "ingresos": 41350501, "ingresos_serv": 41559501, "gasto_personal": 51050601, "gasto_transporte": 52954501,
    "gasto_depreciacion": 51609901, "gasto_arriendo": 51200501, "costo_ventas": 61350501,
    "mano_obra": 72050101, "cif": 73050101, "deudoras_control": 83050101, "acreedoras_control": 93050101,
    "deudoras_por_contra": 89050101, "acreedoras_por_contra": 91050101,
}
SERPI_DETAILS = {
    "RCA": "RECAUDO CARTERA", "NCC": "AJUSTE CONTABLE", "COM": "COMPRA DE MERCANCIA", "FVE": "VENTA DE MERCANCIA",
    "CEG": "PAGO A PROVEEDOR", "NOM": "NOMINA QUINCENAL", "DEP": "DEPRECIACION MENSUAL",
    "CPR": "COSTOS DE PRODUCCION OBRA", "CDO": "CONTROL CUENTAS DE ORDEN",
}

# Arrendasoft
ARR_USERS = ("Administrador", "Contador", "Auxiliar contable", "Gerencia")
