"""An SME's incident log: the list, recording and editing an incident, its page with the reporting guidance,
and the page on whom to report to.

Who (incidents/access_rules.py): the SME's owner and members see and record; an advisor with consent reads
(each visit is in the SME's audit log); a coordinator never sees one SME's incidents, even while the SME shares
its results with the programme (its programme sees anonymised threat statistics only).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smecyber.accounts import audit
from smecyber.accounts.choices import country_name
from smecyber.accounts.models import AuditEvent, Company
from smecyber.accounts.permissions import Access, company_or_404
from smecyber.catalog.incident_catalog import CountryAuthorities, IncidentCatalog
from smecyber.catalog.languages import normalize_language

from . import deadlines, services
from .forms import IncidentForm, initial_of
from .models import Incident

SME_PEOPLE = (Access.OWNER, Access.MEMBER)
CHANGED_AFTER = timedelta(minutes=1)  # "last changed" is worth saying only after a real edit


# --- helpers --------------------------------------------------------------------------------------------------

def _lang() -> str:
    return normalize_language(translation.get_language())


def _company(request: HttpRequest, company_id: object, need: str = "view") -> Company:
    """The company if the caller may see its incidents: never a coordinator (404, as for a stranger)."""
    company = company_or_404(request.user, company_id, need=need)  # type: ignore[arg-type]
    if _access(company) == Access.COORDINATOR:
        raise Http404
    return company


def _access(company: Company) -> Access:
    return company.viewer_access  # type: ignore[attr-defined,no-any-return]  (set by company_or_404)


def _incident_or_404(company: Company, incident_id: object) -> Incident:
    return get_object_or_404(Incident, pk=incident_id, company=company)


def _audit_view(request: HttpRequest, company: Company, incident: Incident | None = None) -> None:
    """An advisor read the SME's incidents: the SME sees it in its audit log."""
    access = _access(company)
    if access not in SME_PEOPLE:
        detail = {"page": "incidents", "access": str(access)}
        if incident is not None:
            detail["incident"] = str(incident.pk)
        audit.record(AuditEvent.Action.VIEW_RESULTS, actor=request.user, company=company,  # type: ignore[arg-type]
                     request=request, detail=detail)


def _label(cat: IncidentCatalog, group: str, item_id: str, lang: str) -> str:
    entry = cat.group(group).get(item_id)
    return entry.label(lang) if entry is not None else item_id  # an id the catalog no longer has


def _help(cat: IncidentCatalog, group: str, item_id: str, lang: str) -> str | None:
    entry = cat.group(group).get(item_id)
    return entry.help(lang) if entry is not None else None


def _reported_names(company: Company, incident: Incident, cat: IncidentCatalog) -> list[str]:
    # every country's authorities: the company may have moved since it reported
    names = {a.id: a.name for guide in cat.authorities.values() for a in guide.authorities}
    names.update(services.reporting_options(company, cat))
    result = [names.get(r, r) for r in incident.reported_to if r != services.OTHER]
    if services.OTHER in incident.reported_to:
        result.append(incident.reported_other or names[services.OTHER])
    return result


def _row(company: Company, incident: Incident, cat: IncidentCatalog, lang: str) -> dict[str, Any]:
    return {
        "incident": incident,
        "kind": _label(cat, "kinds", incident.kind, lang),
        "impact": _label(cat, "impacts", incident.impact, lang),
        "cost": _label(cat, "cost_bands", incident.cost_band, lang),
        "affected": [_label(cat, "affected", a, lang) for a in incident.affected],
        "reported_to": _reported_names(company, incident, cat),
    }


def _authority_rows(guide: CountryAuthorities | None, lang: str) -> list[dict[str, Any]]:
    """Whom to report to in one country, in a fixed order: the CSIRT, the data protection authority, the
    police (the rest of the catalog's list after them)."""
    if guide is None:
        return []
    order = {"csirt": 0, "data_protection": 1}
    rows: list[dict[str, Any]] = [
        {"name": a.name, "url": a.url, "email": a.email, "phone": a.phone, "what": a.what(lang), "role": a.role}
        for a in sorted(guide.authorities, key=lambda a: order.get(a.role, 2))
    ]
    if guide.police is not None:
        p = guide.police
        rows.append({"name": p.name, "url": p.url, "email": None, "phone": p.phone, "what": p.what(lang),
                     "role": "police"})
    return rows


def _role_heading(role: str) -> str:
    return {"csirt": _("IT security incidents (national CSIRT)"),
            "data_protection": _("Personal data breaches (data protection authority)"),
            "police": _("Crimes (police)")}.get(role, "")


def _with_headings(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "heading": _role_heading(row["role"])} for row in rows]


def _form(company: Company, cat: IncidentCatalog, lang: str, *args: Any, **kwargs: Any) -> IncidentForm:
    return IncidentForm(*args, kinds=cat.choices("kinds", lang), affected=cat.choices("affected", lang),
                        impacts=cat.choices("impacts", lang), cost_bands=cat.choices("cost_bands", lang),
                        reporting=services.reporting_options(company, cat), **kwargs)


def _form_context(company: Company, cat: IncidentCatalog, lang: str, form: IncidentForm) -> dict[str, Any]:
    return {
        "company": company,
        "form": form,
        "kind_help": [(i.label(lang), i.help(lang)) for i in cat.kinds.values() if i.help(lang)],
        # each radio / checkbox with its definition beside it (a template cannot look up a dict by variable)
        "impact_choices": [(c, _help(cat, "impacts", c.data["value"], lang)) for c in form["impact"]],
        "affected_choices": [(c, _help(cat, "affected", c.data["value"], lang)) for c in form["affected"]],
        "cost_help": [(i.label(lang), i.help(lang)) for i in cat.cost_bands.values() if i.help(lang)],
    }


def _save(request: HttpRequest, company: Company, incident: Incident | None) -> HttpResponse:
    """The form page (GET) or its submission (POST): saved -> the incident's page; invalid -> the form again
    with the messages, answered 400."""
    cat, lang = services.catalog(), _lang()
    template = "incidents/form.html"
    if request.method != "POST":
        initial = initial_of(services.data_of(incident)) if incident is not None else None
        form = _form(company, cat, lang, initial=initial)
        return render(request, template, {**_form_context(company, cat, lang, form), "incident": incident})
    form = _form(company, cat, lang, request.POST)
    if form.is_valid():
        try:
            if incident is None:
                incident = services.create_incident(company, request.user, form.data_for_service())  # type: ignore[arg-type]
                messages.success(request, _("The incident is recorded. Below: whom to report it to, and by when."))
            else:
                services.update_incident(incident, form.data_for_service())
                messages.success(request, _("Your changes are saved."))
            return redirect("incident_detail", company_id=company.id, incident_id=incident.pk)
        except services.IncidentInvalid as error:
            form.add_service_errors(error)
    context = {**_form_context(company, cat, lang, form), "incident": incident}
    return render(request, template, context, status=400)


# --- pages ----------------------------------------------------------------------------------------------------

@never_cache  # incidents stay out of shared caches and the browser's back-forward store
@login_required
def incident_list(request: HttpRequest, company_id: object) -> HttpResponse:
    company = _company(request, company_id)
    _audit_view(request, company)
    cat, lang = services.catalog(), _lang()
    rows = [_row(company, i, cat, lang) for i in company.incidents.all()]
    return render(request, "incidents/list.html", {
        "company": company, "rows": rows, "can_act": _access(company) in SME_PEOPLE,
    })


@never_cache
@login_required
def incident_new(request: HttpRequest, company_id: object) -> HttpResponse:
    company = _company(request, company_id, need="act")
    return _save(request, company, None)


@never_cache
@login_required
def incident_edit(request: HttpRequest, company_id: object, incident_id: object) -> HttpResponse:
    company = _company(request, company_id, need="act")
    return _save(request, company, _incident_or_404(company, incident_id))


def _deadline_rows(clock: tuple[deadlines.Deadline, ...], now: datetime) -> list[dict[str, Any]]:
    texts = {
        deadlines.NIS2_EARLY_WARNING: (
            _("Early warning"),
            _("Within 24 hours of becoming aware: tell the national CSIRT that a significant incident happened, "
              "and whether it may be caused by a crime or affect other countries.")),
        deadlines.NIS2_NOTIFICATION: (
            _("Incident notification"),
            _("Within 72 hours of becoming aware: update the early warning with a first assessment of the "
              "incident, how severe it is, its impact and, where known, signs of how it happened.")),
        deadlines.NIS2_FINAL_REPORT: (
            _("Final report"),
            _("Within one month of the incident notification: a detailed description, the likely cause, what "
              "you did about it and any effects on other countries. Shown here: one month after the latest "
              "allowed notification time; if you send the notification earlier, the report is due one month "
              "after that.")),
        deadlines.GDPR_BREACH: (
            _("Personal data breach notification"),
            _("Within 72 hours of becoming aware: tell the data protection authority, unless the breach is "
              "unlikely to put people at risk. If you need longer, report what you know and give the reasons "
              "for the delay.")),
    }
    return [{"key": d.key, "title": texts[d.key][0], "text": texts[d.key][1], "due": d.due,
             "overdue": d.overdue(now)} for d in clock]


@never_cache
@login_required
def incident_detail(request: HttpRequest, company_id: object, incident_id: object) -> HttpResponse:
    company = _company(request, company_id)
    incident = _incident_or_404(company, incident_id)
    _audit_view(request, company, incident)
    cat, lang, now = services.catalog(), _lang(), timezone.now()
    guide = services.guidance(incident, timezone.get_current_timezone(), cat)
    return render(request, "incidents/detail.html", {
        "company": company,
        "row": _row(company, incident, cat, lang),
        "incident": incident,
        "guide": guide,
        "authorities": _with_headings(_authority_rows(guide.authorities, lang)),
        "country": country_name(company.country),
        "nis2_rows": _deadline_rows(guide.nis2_clock, now),
        "gdpr_rows": _deadline_rows((guide.gdpr,), now) if guide.gdpr else [],
        "now": now,
        "changed_later": incident.updated_at - incident.created_at > CHANGED_AFTER,
        "can_act": _access(company) in SME_PEOPLE,
    })


@never_cache
@login_required
def incident_guidance(request: HttpRequest, company_id: object) -> HttpResponse:
    company = _company(request, company_id)
    cat, lang = services.catalog(), _lang()
    own = cat.authorities_for(company.country)
    others = [{"code": code, "name": country_name(code), "authorities": _with_headings(_authority_rows(g, lang))}
              for code, g in cat.authorities.items() if code != (own.country if own else None)]
    others.sort(key=lambda c: str(c["name"]))
    return render(request, "incidents/guidance.html", {
        "company": company,
        "country": country_name(company.country),
        "authorities": _with_headings(_authority_rows(own, lang)),
        "others": others,
        "can_act": _access(company) in SME_PEOPLE,
    })


@require_POST
@login_required
def incident_delete(request: HttpRequest, company_id: object, incident_id: object) -> HttpResponse:
    company = _company(request, company_id, need="act")
    incident = _incident_or_404(company, incident_id)
    services.delete_incident(incident)
    messages.success(request, _("The incident was deleted."))
    return redirect("incident_list", company_id=company.id)
