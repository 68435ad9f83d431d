"""The SME report as a PDF (WeasyPrint): the report page's own template, A4, with page numbers and the date.

WeasyPrint fetches nothing: the stylesheet is read from the static files and every other URL is refused, so a
report can never make the server request an address found in stored data.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import formatting

STYLESHEET = "smecyber/reports.css"


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the PDF report does not fetch {url[:80]!r}")


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(company_name: str, when: datetime) -> str:
    """The A4 page box: company and date at the top, "Page n of m" at the bottom, in the reader's language."""
    page = _("Page %(page)s of %(pages)s")
    before, _sep, rest = page.partition("%(page)s")
    middle, _sep, after = rest.partition("%(pages)s")
    counter = f"{_css_string(before)} counter(page) {_css_string(middle)} counter(pages) {_css_string(after)}"
    margin_text = 'font-size: 8pt; color: #555; font-family: "DejaVu Sans", sans-serif;'
    return (
        "@page { size: A4; margin: 20mm 16mm 22mm 16mm;"
        f" @top-left {{ content: {_css_string(company_name)}; {margin_text} }}"
        f" @top-right {{ content: {_css_string(formatting.day(when))}; {margin_text} }}"
        f" @bottom-right {{ content: {counter}; {margin_text} }} }}"
    )


def render_pdf(html: str, *, company_name: str, when: datetime | None = None) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading WeasyPrint (Pango, fonts) is slow

    when = when or timezone.now()
    stylesheets = [CSS(string=page_css(company_name, when))]
    path = finders.find(STYLESHEET)
    if path:
        stylesheets.insert(0, CSS(filename=str(path), url_fetcher=_refuse_fetch))
    document = HTML(string=html, base_url="about:blank", url_fetcher=_refuse_fetch)
    return document.write_pdf(stylesheets=stylesheets)


def report_filename(company_name: str, when: datetime, extension: str = "pdf") -> str:
    """ASCII only, no quotes or path separators: e.g. smecyber-report-acme-ab-2025-03-05.pdf."""
    slug = slugify(company_name)[:60].strip("-") or "company"
    return f"smecyber-report-{slug}-{timezone.localtime(when):%Y-%m-%d}.{extension}"


def attachment_header(filename: str) -> str:
    return content_disposition_header(True, filename) or f'attachment; filename="{filename}"'
