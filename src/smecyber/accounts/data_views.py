"""An SME's data as a whole: its audit log, the GDPR export (JSON, PDF), deleting it."""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, gdpr
from .export_pdf import render_export_pdf
from .forms import CompanyDeleteForm
from .models import AuditEvent, Company
from .permissions import company_or_404

AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")
    events = company.audit_events.order_by("-at", "-pk")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"company": company, "page": page})


def _file_name(company: Company, extension: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", company.name).strip("-").lower() or "company"
    return f"smecyber-{slug}-{timezone.localdate().isoformat()}.{extension}"


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@login_required
def company_export_json(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    audit.record(AuditEvent.Action.EXPORT, actor=request.user, company=company, detail={"format": "json"},
                 request=request)
    data = gdpr.export_company(company)  # after recording, so the export includes its own event
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return _download(content, "application/json; charset=utf-8", _file_name(company, "json"))


@login_required
def company_export_pdf(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    audit.record(AuditEvent.Action.EXPORT, actor=request.user, company=company, detail={"format": "pdf"},
                 request=request)
    pdf = render_export_pdf(gdpr.export_company(company))
    return _download(pdf, "application/pdf", _file_name(company, "pdf"))


@login_required
def company_delete(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    form = CompanyDeleteForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        name = company.name
        gdpr.delete_company(company, actor=request.user, request=request)
        messages.success(request, _("%(company)s and all its data are deleted.") % {"company": name})
        return redirect("home")
    return render(request, "accounts/company_delete.html", {"company": company, "form": form},
                  status=400 if request.method == "POST" else 200)
