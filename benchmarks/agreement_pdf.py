"""The agreement PDF with 20 items, rendered and hashed, against the certificate PDF in the same run.

Run from the repository root: ``python benchmarks/agreement_pdf.py [--items N] [--samples K]
[--warm-up W]``.

It makes a throw-away SQLite database in a temporary VAR_DIR (every migration run; the demo
database is never opened), and builds, through the front doors, a held mediation whose agreement
has N numbered items (20 by default: a long agreement), and a case with a certificate issued.

Each sample renders the PDF as sending for signature does (``render_agreement_pdf``: the context
read from the database, the template, WeasyPrint writing tagged PDF/UA-1) and takes its SHA-256;
the baseline renders and hashes the certificate (``cases.certificates.render_pdf``), the other PDF
the service makes, with the same WeasyPrint options. The two are measured in turn, sample by
sample, after a few warm-up renders of each, so a noisy moment on a shared machine falls on both.
Figures: p50, p95 and the slowest render, and the size of the file, each beside the certificate's,
with the ratio agreement over certificate. Before any figure, both PDFs are checked to be tagged
the same way: marked, with a structure tree, a language, a title and the PDF/UA-1 identification.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["VAR_DIR"] = str(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    # Always a database of its own: never the demo database, nor one named in DATABASE_URL.
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'agreement-pdf.sqlite3'}"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"  # queued, never run here
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build(items: int) -> tuple[Any, Any]:
    """A held mediation with an agreement of ``items`` items, and a certificate issued on another case."""
    from sendmediation.agreements import services as agreements
    from sendmediation.agreements.tests.helpers import held_case
    from sendmediation.cases.models import Case
    from sendmediation.cases.tests.builders import case_in
    from sendmediation.testing.personas import make_personas

    personas = make_personas()
    case = held_case(personas)
    first_by = datetime.date(2027, 1, 8)
    written = [
        {
            "what": (
                f"Step {number} of the plan: the school and the local authority's SEND team meet the "
                "family to review the support in class, write down what changes, and share the notes "
                "with everybody within five working days."
            ),
            "who": "Westminster local authority" if number % 2 else "The parent",
            "by": (first_by + datetime.timedelta(weeks=number)).isoformat() if number % 3 else None,
        }
        for number in range(1, items + 1)
    ]
    agreement = agreements.record_agreement(actor=personas.mediator, case=case, items=written)
    assert agreement.items.count() == items
    other = case_in(personas, Case.Status.CERTIFICATE_ISSUED, child_first_name="Lena")
    certificate = other.certificates.get()
    return agreement, certificate


def tagging(data: bytes) -> dict[str, object]:
    """How the PDF is tagged, for comparing the two."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    root: Any = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""
    return {
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
        "structure tree": "/StructTreeRoot" in root,
        "language": str(root.get("/Lang", "")).lower()[:2],
        "title": bool(reader.metadata and reader.metadata.title),
        "PDF/UA-1": "pdfuaid:part>1<" in xmp or 'pdfuaid:part="1"' in xmp,
        "pages": len(reader.pages),
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(render: Callable[[], bytes]) -> tuple[float, bytes, str]:
    started = time.perf_counter()
    data = render()
    digest = hashlib.sha256(data).hexdigest()
    return (time.perf_counter() - started) * 1000, data, digest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--samples", type=int, default=25)
    parser.add_argument("--warm-up", type=int, default=3)
    arguments = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="agreement-pdf-bench-"))
    try:
        configure(workdir)
        from sendmediation.agreements.pdf import render_agreement_pdf
        from sendmediation.cases.certificates import render_pdf

        agreement, certificate = build(arguments.items)

        def agreement_pdf() -> bytes:
            agreement.refresh_from_db()  # as sending does: the agreement read afresh, items and all
            return render_agreement_pdf(agreement)

        def certificate_pdf() -> bytes:
            certificate.refresh_from_db()
            return render_pdf(certificate)

        for _ in range(arguments.warm_up):
            timed(agreement_pdf)
            timed(certificate_pdf)
        ours: list[float] = []
        baseline: list[float] = []
        for _ in range(arguments.samples):
            ms, agreement_data, _ = timed(agreement_pdf)
            ours.append(ms)
            ms, certificate_data, _ = timed(certificate_pdf)
            baseline.append(ms)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    ours_tags, baseline_tags = tagging(agreement_data), tagging(certificate_data)
    pages = int(str(ours_tags.pop("pages"))), int(str(baseline_tags.pop("pages")))
    print(f"tagging, agreement: {ours_tags}")
    print(f"tagging, certificate: {baseline_tags}")
    if ours_tags != baseline_tags or not all(ours_tags.values()):
        print("FAIL: the agreement PDF is not tagged as the certificate is")
        return 1

    n = arguments.samples
    figures = [
        (f"render and hash, p50 of {n}", statistics.median(ours), statistics.median(baseline), "ms"),
        (f"render and hash, p95 of {n}", percentile(ours, 0.95), percentile(baseline, 0.95), "ms"),
        (f"render and hash, slowest of {n}", max(ours), max(baseline), "ms"),
        ("file size", len(agreement_data) / 1024, len(certificate_data) / 1024, "KiB"),
        ("pages", pages[0], pages[1], ""),
    ]
    for label, mine, theirs, unit in figures:
        shown = [f"{value:,.1f} {unit}" if unit else f"{value}" for value in (mine, theirs)]
        print(
            f"{label}: agreement ({arguments.items} items) {shown[0]}; certificate {shown[1]}; "
            f"ratio {mine / theirs:.2f}x"
        )
    p95, b95 = percentile(ours, 0.95), percentile(baseline, 0.95)
    print(
        f"agreement pdf: p95 {p95:,.1f} ms for {arguments.items} items; certificate p95 {b95:,.1f} ms; "
        f"ratio {p95 / b95:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
