"""The SME dashboard and report (HTML and PDF) and the coordinator's programme dashboard."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from smecyber.accounts import audit
from smecyber.accounts.models import AuditEvent, Company
from smecyber.accounts.permissions import Access, company_or_404, programme_or_404
from smecyber.catalog.languages import normalize_language

from .aggregates import cached_programme_aggregates, shared_companies
from .assessment_sections import dashboard_cards, report_sections
from .company import cached_company_overview, company_overview
from .pdf import attachment_header, render_pdf, report_filename
from .programme import programme_charts, sme_figures, sweep_figures


def _lang() -> str:
    return normalize_language(translation.get_language())


def _report_context(company: Company, access: Access, generated_at: datetime) -> dict[str, object]:
    lang = _lang()
    return {
        "company": company,
        "overview": company_overview(company, lang, with_findings=True),
        # maturity, benchmark, NIS2, CRA and the action plan (reports/_report_assessment.html)
        "sections": report_sections(company, lang, timezone.localtime(generated_at).date()),
        "generated_at": generated_at,
        "can_act": access in (Access.OWNER, Access.MEMBER),
    }


@never_cache  # an SME's weaknesses stay out of shared caches and the browser's back-forward store
@login_required
def company_dashboard(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)
    access = company.viewer_access  # type: ignore[attr-defined]  (set by company_or_404)
    if access in (Access.ADVISOR, Access.COORDINATOR):
        audit.record(AuditEvent.Action.VIEW_RESULTS, actor=request.user, company=company, request=request,
                     detail={"page": "dashboard", "access": str(access)})
    context = {
        "company": company,
        "overview": cached_company_overview(company, _lang()),  # the viewer's checks above run every time
        # never cached: they change with every submission and every item someone updates
        "cards": dashboard_cards(company, _lang()),
        "can_act": access in (Access.OWNER, Access.MEMBER),
    }
    return render(request, "reports/company_dashboard.html", context)


@never_cache
@login_required
def company_report(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)
    access = company.viewer_access  # type: ignore[attr-defined]  (set by company_or_404)
    audit.record(AuditEvent.Action.VIEW_REPORT, actor=request.user, company=company, request=request,
                 detail={"format": "html", "access": str(access)})
    return render(request, "reports/company_report.html", _report_context(company, access, timezone.now()))


@never_cache
@login_required
def company_report_pdf(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)
    access = company.viewer_access  # type: ignore[attr-defined]  (set by company_or_404)
    generated_at = timezone.now()
    html = render_to_string("reports/company_report_pdf.html", _report_context(company, access, generated_at),
                            request=request)
    pdf = render_pdf(html, company_name=company.name, when=generated_at)
    audit.record(AuditEvent.Action.EXPORT, actor=request.user, company=company, request=request,
                 detail={"format": "pdf", "what": "report", "access": str(access)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(report_filename(company.name, generated_at))
    return response


@never_cache
@login_required
def programme_dashboard(request: HttpRequest, programme_id: object) -> HttpResponse:
    programme = programme_or_404(request.user, programme_id)
    aggregates = cached_programme_aggregates(programme)
    batches = [
        {"name": b["name"], "created_at": datetime.fromisoformat(b["created_at"]),
         "figures": sweep_figures(b)} for b in aggregates["sweeps"]["batches"]
    ]
    context = {
        "programme": programme,
        "aggregates": aggregates,
        "min_group": aggregates["min_group"],
        "charts": programme_charts(aggregates),
        "sme_figures": sme_figures(aggregates["smes"]),
        "sweep_figures": sweep_figures(aggregates["sweeps"]),
        "batches": batches,
        "shared": shared_companies(programme),
    }
    return render(request, "reports/programme_dashboard.html", context)
