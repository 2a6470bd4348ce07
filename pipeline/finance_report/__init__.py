"""The finance report: one self-contained HTML file from the published marts, per tenant and currency.

    from pipeline.finance_report import write_report
    summary = write_report(lambda sql: connection.execute(sql).fetchall(), Path("data/report.html"))
"""

from pipeline.finance_report.figures import ReportError
from pipeline.finance_report.report import ReportSummary, write_report

__all__ = ["ReportError", "ReportSummary", "write_report"]
