"""The SME report: the printable page and the PDF, in the reader's language, audited."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from smecyber.accounts.models import AdvisorConsent, AuditEvent, Programme
from smecyber.catalog import load_catalog
from smecyber.reports.pdf import page_css, report_filename
from tests.web.world import make_user

from .factories import client_for, make_company, make_domain, make_programme, make_scan, owner_of

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def programme() -> Programme:
    return make_programme()


@pytest.fixture
def alpha(programme):  # type: ignore[no-untyped-def]
    company = make_company(programme, "Älvdalens Webb & Co AB", owner_email="owner@alpha.test")
    make_scan(make_domain(company, "alpha.test"), overall=62, findings=[
        ("mail.dmarc.missing", "fail", "high"),
        ("web.hsts.missing", "warn", "medium"),
        ("tls.protocols.no_tls13", "warn", "low"),
    ])
    make_domain(company, "later.test", verified=False)
    return company


def url(name: str, company) -> str:  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"company_id": company.id})


def test_html_report_has_summary_first_then_each_domain(alpha) -> None:  # type: ignore[no-untyped-def]
    response = client_for(owner_of(alpha)).get(url("company_report", alpha))
    assert response.status_code == 200
    html = response.content.decode()
    dmarc = load_catalog().entry("mail.dmarc.missing", "en")
    summary = html.index('id="summary-heading"')
    assert summary < html.index(">alpha.test</h2>") < html.index(">later.test</h2>")
    assert "has the overall grade C+ (62 out of 100)" in html
    assert "We found 1 problem to fix and 2 warnings." in html
    # per domain: grades and findings with why and how
    domain_part = html[html.index(">alpha.test</h2>"):]
    assert dmarc.title in domain_part and dmarc.why[:60] in domain_part and dmarc.how[:25] in domain_part
    assert "Not scanned yet." in html[html.index(">later.test</h2>"):]
    assert reverse("company_report_pdf", kwargs={"company_id": alpha.id}) in html
    event = AuditEvent.objects.get(company=alpha, action=AuditEvent.Action.VIEW_REPORT)
    assert event.actor == owner_of(alpha) and event.detail["format"] == "html"


def test_report_of_a_company_without_scans_says_what_to_do(programme) -> None:  # type: ignore[no-untyped-def]
    company = make_company(programme, "Empty AB", owner_email="owner@empty.test")
    html = client_for(owner_of(company)).get(url("company_report", company)).content.decode()
    assert "nothing to report" in html


def test_pdf_is_an_attachment_with_a_safe_name_and_is_audited(alpha) -> None:  # type: ignore[no-untyped-def]
    response = client_for(owner_of(alpha)).get(url("company_report_pdf", alpha))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    match = re.fullmatch(r'attachment; filename="(smecyber-report-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.pdf)"', disposition)
    assert match, disposition
    assert "alvdalens-webb-co-ab" in match.group(1)
    event = AuditEvent.objects.get(company=alpha, action=AuditEvent.Action.EXPORT)
    assert event.actor == owner_of(alpha) and event.detail["format"] == "pdf"


def test_report_filename_never_carries_quotes_or_paths() -> None:
    when = datetime(2025, 3, 5, 12, tzinfo=timezone.get_current_timezone())
    assert report_filename('../"evil"\r\nname', when) == "smecyber-report-evil-name-2025-03-05.pdf"
    assert report_filename("日本", when) == "smecyber-report-company-2025-03-05.pdf"


def test_advisor_with_consent_gets_the_pdf_and_without_gets_404(alpha) -> None:  # type: ignore[no-untyped-def]
    advisor = make_user("advisor@example.test")
    client = client_for(advisor)
    assert client.get(url("company_report_pdf", alpha)).status_code == 404
    assert client.get(url("company_report", alpha)).status_code == 404
    assert not AuditEvent.objects.filter(company=alpha, action=AuditEvent.Action.EXPORT).exists()
    AdvisorConsent.objects.create(company=alpha, advisor=advisor, granted_by=owner_of(alpha))
    assert client.get(url("company_report_pdf", alpha)).status_code == 200
    assert AuditEvent.objects.filter(company=alpha, action=AuditEvent.Action.EXPORT, actor=advisor).exists()


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed: the PDF's text cannot be "
                                              "read here; install poppler-utils to run this test")
def test_pdf_text_is_in_the_readers_language(alpha, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    response = client_for(owner_of(alpha)).get(url("company_report_pdf", alpha), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run([str(PDFTOTEXT), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    flat = " ".join(text.split())
    assert "Älvdalens Webb & Co AB" in flat
    assert load_catalog().entry("mail.dmarc.missing", "sv").title in flat
    assert "Viktigaste åtgärderna" in flat  # the catalog's Swedish "Top fixes"
    assert load_catalog().entry("mail.dmarc.missing", "en").title not in flat
    assert re.search(r"\b1\b.*\b2\b", flat)  # page numbers ("Page 1 of 2", once translated)


def test_pdf_renders_without_weasyprint_warnings(alpha, caplog) -> None:  # type: ignore[no-untyped-def]
    """Every style is understood and nothing is fetched (a refused fetch would be logged)."""
    make_scan(alpha.domains.get(name="alpha.test"), overall=40, when=timezone.now() - timedelta(days=40))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client_for(owner_of(alpha)).get(url("company_report_pdf", alpha))
    assert response.status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_page_box_keeps_a_hostile_company_name_inside_its_css_string() -> None:
    import tinycss2  # WeasyPrint's own CSS parser

    name = 'Evil"; } @page { size: A3; } x { content: "\\'
    rules = tinycss2.parse_stylesheet(page_css(name, timezone.now()), skip_whitespace=True, skip_comments=True)
    assert [r.type for r in rules] == ["at-rule"]  # one @page rule, nothing smuggled after it
    body = tinycss2.parse_blocks_contents(rules[0].content, skip_whitespace=True)
    top_left = next(r for r in body if r.type == "at-rule" and r.lower_at_keyword == "top-left")
    content = next(d for d in tinycss2.parse_blocks_contents(top_left.content, skip_whitespace=True)
                   if d.type == "declaration" and d.lower_name == "content")
    strings = [t.value for t in content.value if t.type == "string"]
    assert strings == [name]
