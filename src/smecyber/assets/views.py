"""An SME's domains: the list, adding one, its page (verification, scans, history, changes), and actions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from smecyber.accounts.permissions import can_act_for_company, company_or_404
from smecyber.scans import presenting
from smecyber.scans.models import Scan, ScanStatus
from smecyber.scans.queries import change_counts, diff, latest_done_scan, previous_done_scan
from smecyber.scans.viewing import note_results_viewed

from .lookups import domain_or_404
from .models import VERIFICATION_PATH, Domain
from .services import DomainInputError, add_domain, remove_domain, set_schedule
from .verification import verify_domain

HISTORY_LENGTH = 20


class AddDomainForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Domain name"), max_length=300,
        help_text=gettext_lazy("For example example.com or bücher.de — the part after the @ in your e-mail "
                               "addresses, or your web address without https://."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )


class ScheduleForm(forms.Form):
    schedule = forms.ChoiceField(label=gettext_lazy("Automatic scans"), choices=Domain.Schedule.choices)


@login_required
def domain_list(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)  # type: ignore[arg-type]
    rows = []
    for domain in Domain.objects.filter(company=company):
        latest = latest_done_scan(domain)
        active = domain.scans.filter(status__in=(ScanStatus.QUEUED, ScanStatus.RUNNING)).first()
        overall = (latest.grades.get("overall") if latest else None) or {}
        rows.append({"domain": domain, "latest": latest, "active": active,
                     "grades": presenting.grade_rows(latest.grades) if latest else [],
                     "overall": overall, "overall_css": presenting.grade_css(overall.get("letter"))})
    note_results_viewed(request, company, "domains")
    return render(request, "assets/domain_list.html", {
        "company": company, "rows": rows, "can_act": can_act_for_company(request.user, company),  # type: ignore[arg-type]
    })


@login_required
def domain_add(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")  # type: ignore[arg-type]
    form = AddDomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain = add_domain(company, form.cleaned_data["name"], user=request.user,  # type: ignore[arg-type]
                                request=request)
        except DomainInputError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("%(domain)s was added. Run its first scan, and prove that it is yours "
                                        "when you can.") % {"domain": domain.display_name})
            return redirect("domain_detail", domain_id=domain.pk)
    return render(request, "assets/domain_add.html", {"company": company, "form": form})


@login_required
def domain_detail(request: HttpRequest, domain_id: object) -> HttpResponse:
    domain = domain_or_404(request.user, domain_id)  # type: ignore[arg-type]
    company = domain.company
    history = list(Scan.objects.filter(domain=domain).order_by("-created_at")[:HISTORY_LENGTH])
    counts = change_counts(history)
    latest = latest_done_scan(domain)
    changes = None
    if latest is not None:
        previous = previous_done_scan(latest)
        d = diff(previous, latest)
        changes = {"previous": previous, "latest": latest, "new": presenting.finding_lines(d.new),
                   "fixed": presenting.finding_lines(d.fixed), "unchanged": presenting.finding_lines(d.unchanged)}
    active = next((s for s in history if s.status in (ScanStatus.QUEUED, ScanStatus.RUNNING)), None)
    note_results_viewed(request, company, domain.name)
    return render(request, "assets/domain_detail.html", {
        "company": company, "domain": domain, "can_act": can_act_for_company(request.user, company),  # type: ignore[arg-type]
        "history": [{"scan": s, "counts": counts.get(s.pk),
                     "overall": s.grades.get("overall") or {},
                     "overall_css": presenting.grade_css((s.grades.get("overall") or {}).get("letter"))}
                    for s in history],
        "latest": latest, "grades": presenting.grade_rows(latest.grades) if latest else [],
        "changes": changes, "active": active,
        "file_url": f"https://{domain.name}{VERIFICATION_PATH}",
        "schedule_form": ScheduleForm(initial={"schedule": domain.schedule}),
    })


@login_required
@require_POST
def domain_verify(request: HttpRequest, domain_id: object) -> HttpResponse:
    domain = domain_or_404(request.user, domain_id, need="act")  # type: ignore[arg-type]
    result = verify_domain(domain, actor=request.user, request=request)  # type: ignore[arg-type]
    if result.ok:
        messages.success(request, _("%(domain)s is verified. %(detail)s") % {
            "domain": domain.display_name, "detail": result.detail})
    else:
        messages.error(request, _("%(domain)s could not be verified yet. %(detail)s") % {
            "domain": domain.display_name, "detail": result.detail})
    return redirect("domain_detail", domain_id=domain.pk)


@login_required
@require_POST
def domain_schedule(request: HttpRequest, domain_id: object) -> HttpResponse:
    domain = domain_or_404(request.user, domain_id, need="act")  # type: ignore[arg-type]
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            set_schedule(domain, form.cleaned_data["schedule"])
        except DomainInputError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Automatic scans: %(schedule)s.") % {
                "schedule": domain.get_schedule_display()})
    else:
        messages.error(request, _("Choose one of the offered schedules."))
    return redirect("domain_detail", domain_id=domain.pk)


@login_required
@require_POST
def domain_remove(request: HttpRequest, domain_id: object) -> HttpResponse:
    domain = domain_or_404(request.user, domain_id, need="act")  # type: ignore[arg-type]
    company_id = domain.company_id
    name = domain.display_name
    remove_domain(domain, user=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, _("%(domain)s and its scan results were removed.") % {"domain": name})
    return redirect("domain_list", company_id=company_id)
