"""The GDPR export as a PDF: the same data as the JSON download, laid out to be read by a person."""

from __future__ import annotations

from typing import Any

import weasyprint
from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime

# Print styles for WeasyPrint (a browser never sees this document, so the page CSP does not apply to it).
EXPORT_CSS = """
@page { size: A4; margin: 18mm 15mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.35; color: #111; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; }
h4 { font-size: 10pt; margin: 3mm 0 1mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
dl { display: grid; grid-template-columns: 45mm auto; margin: 0; }
dt { font-weight: bold; } dd { margin: 0 0 1mm; }
.evidence { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
.muted { color: #555; }
"""


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The export holds only text the platform stored; nothing in it may make the renderer fetch a URL.
    raise ValueError(f"export PDF does not fetch {url!r}")


def _with_dates(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the export's ISO strings back into datetimes where the template shows them, for localised dates."""

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and (key.endswith("_at") or key in {"at", "since"}):
            return parse_datetime(value) or value
        return value

    return walk(data)


def export_document(data: dict[str, Any]) -> weasyprint.Document:
    html = render_to_string("accounts/export_pdf.html", {"data": _with_dates(data)})
    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).render(
        stylesheets=[weasyprint.CSS(string=EXPORT_CSS)]
    )


def document_text(document: weasyprint.Document) -> str:
    """The text laid out on the pages (used by the tests: no PDF text extractor is installed)."""
    parts: list[str] = []

    def walk(box: Any) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
        for child in getattr(box, "children", ()) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(parts)


def render_export_pdf(data: dict[str, Any]) -> bytes:
    return export_document(data).write_pdf()
