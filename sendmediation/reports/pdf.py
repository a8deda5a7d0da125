"""The report as a printable, tagged PDF (PDF/UA-1), drawn by WeasyPrint from HTML as the
agreement and the certificate are: headings, tables with header cells, and the charts with their
titles, summaries and tables."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string

from config.brand import brand
from sendmediation.reports.charts import Chart
from sendmediation.reports.report import Report


def render_report_pdf(report: Report, charts: Sequence[Chart]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "charts": charts,
            "brand": brand(),
            "trend_table": list(
                zip(
                    report.trend.labels,
                    zip(*(row.cells for row in report.trend.rows), strict=True),
                    strict=True,
                )
            ),
        },
    )
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True
    )
    return pdf
