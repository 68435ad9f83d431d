"""The action plan of one SME: read by its people and its advisor (and coordinator while it shares), changed by
its people, exported as CSV. The plan itself is computed by plan_service.refresh_plan."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smecyber.accounts import audit
from smecyber.accounts.models import AuditEvent, Company
from smecyber.accounts.permissions import Access, company_or_404
from smecyber.catalog.languages import normalize_language
from smecyber.catalog.questionnaire import load_questionnaire
from smecyber.reports.pdf import attachment_header

from .models import ActionItem
from .plan_presenting import CLOSED, OPEN, ItemView, item_view
from .plan_service import EARLIEST_DUE_DATE, change_problems, update_item

TOP = 10  # "do these first"


def _lang() -> str:
    return normalize_language(translation.get_language())


class ActionItemForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionItem.Status.choices)
    status_reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when you accept the risk: why, and who decided."))
    due_date = forms.DateField(label=gettext_lazy("Due date"), required=False,
                               help_text=gettext_lazy("Suggested when the item first appeared: two weeks for the first "
                                                      "three items, a month for the rest of the top ten, three months "
                                                      "for the others. Change it to what suits you."),
                               widget=forms.DateInput(attrs={"type": "date", "min": EARLIEST_DUE_DATE.isoformat()},
                                                      format="%Y-%m-%d"))
    owner = forms.ChoiceField(label=gettext_lazy("Who does it"), choices=ActionItem.Owner.choices)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        problems = change_problems(status=str(data.get("status", "")), status_reason=str(data.get("status_reason", "")),
                                   due_date=data.get("due_date"), owner=str(data.get("owner", "")))  # type: ignore[arg-type]
        for name, message in problems.items():
            if name not in self.errors:  # a field Django already refused keeps that one message
                self.add_error(name, message)
        return data


def item_form(item: ActionItem, data: object = None) -> ActionItemForm:
    initial = {"status": item.status, "status_reason": item.status_reason, "due_date": item.due_date,
               "owner": item.owner}
    return ActionItemForm(data, initial=initial, auto_id=f"item-{item.pk}-%s")  # type: ignore[arg-type]


# --- the plan page ------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class PlanFilters:
    owner: str = ""
    status: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> PlanFilters:
        owner = request.GET.get("owner", "")
        status = request.GET.get("status", "")
        return cls(owner if owner in ActionItem.Owner.values else "",
                   status if status in ActionItem.Status.values else "")

    @property
    def active(self) -> bool:
        return bool(self.owner or self.status)

    def query(self) -> str:
        parts = [f"{k}={v}" for k, v in (("owner", self.owner), ("status", self.status)) if v]
        return "?" + "&".join(parts) if parts else ""


@dataclass(slots=True)
class PlanPage:
    first: list[ItemView] = field(default_factory=list)  # the top TOP open items
    later: list[ItemView] = field(default_factory=list)  # the other open items
    closed: list[ItemView] = field(default_factory=list)  # done and risk accepted
    has_items: bool = False  # the company has a plan at all (whatever the filters)
    later_open: bool = False  # unfold the rest: a form in it has errors to show


def shown_items(company: Company, filters: PlanFilters) -> list[ActionItem]:
    """Open items the plan still produces, and done or accepted ones (kept even once the plan stops producing
    them: they are what was done). Rank order."""
    items = ActionItem.objects.filter(company=company).exclude(active=False, status__in=OPEN)
    if filters.owner:
        items = items.filter(owner=filters.owner)
    if filters.status:
        items = items.filter(status=filters.status)
    return list(items.order_by("-active", "rank", "pk"))


def plan_page(company: Company, filters: PlanFilters, *, can_act: bool, bound: tuple[int, ActionItemForm] | None = None
              ) -> PlanPage:
    q = load_questionnaire()
    lang = _lang()
    today = timezone.localdate()
    page = PlanPage(has_items=ActionItem.objects.filter(company=company).exists())
    for item in shown_items(company, filters):
        view = item_view(q, item, lang, today)
        if can_act:
            view.form = bound[1] if bound and bound[0] == item.pk else item_form(item)
        if item.status in CLOSED:
            page.closed.append(view)
        elif len(page.first) < TOP:
            page.first.append(view)
        else:
            page.later.append(view)
            page.later_open = page.later_open or (bound is not None and bound[0] == item.pk)
    return page


def _render_plan(request: HttpRequest, company: Company, *, bound: tuple[int, ActionItemForm] | None = None,
                 status: int = 200) -> HttpResponse:
    access = company.viewer_access  # type: ignore[attr-defined]  (set by company_or_404)
    can_act = access in (Access.OWNER, Access.MEMBER)
    filters = PlanFilters.from_request(request)
    context = {
        "company": company,
        "page": plan_page(company, filters, can_act=can_act, bound=bound),
        "filters": filters,
        "can_act": can_act,
        "owners": ActionItem.Owner.choices,
        "statuses": ActionItem.Status.choices,
    }
    return render(request, "assessments/plan.html", context, status=status)


@never_cache
@login_required
def action_plan(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)
    access = company.viewer_access  # type: ignore[attr-defined]
    if access in (Access.ADVISOR, Access.COORDINATOR):
        audit.record(AuditEvent.Action.VIEW_RESULTS, actor=request.user, company=company, request=request,
                     detail={"page": "action_plan", "access": str(access)})
    return _render_plan(request, company)


@never_cache
@login_required
@require_POST
def action_item_update(request: HttpRequest, company_id: object, item_id: int) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")
    item = get_object_or_404(ActionItem, company=company, pk=item_id)
    form = item_form(item, request.POST)
    if not form.is_valid():
        return _render_plan(request, company, bound=(item.pk, form), status=400)
    data = form.cleaned_data
    update_item(item, request.user, status=data["status"], status_reason=data["status_reason"],  # type: ignore[arg-type]
                due_date=data["due_date"], owner=data["owner"])
    messages.success(request, _("Saved."))
    # Back to the item, with the filters the page had (the form's action carries them).
    filters = PlanFilters.from_request(request)
    return redirect(reverse("action_plan", args=[company.pk]) + filters.query() + f"#item-{item.pk}")


# --- CSV ------------------------------------------------------------------------------------------------------

def _cell(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def plan_csv(company: Company, filters: PlanFilters) -> str:
    q = load_questionnaire()
    lang = _lang()
    today = timezone.localdate()
    out = io.StringIO()
    out.write("\ufeff")  # the BOM: spreadsheet programs then read the file as UTF-8
    writer = csv.writer(out)
    writer.writerow([_("Rank"), _("Title"), _("Status"), _("Due date"), _("Owner"), _("Effort"), _("Severity"),
                     _("Where it came from")])
    for item in shown_items(company, filters):
        view = item_view(q, item, lang, today)
        writer.writerow([
            item.rank if item.active else "", _cell(view.title), item.get_status_display(),
            item.due_date.isoformat() if item.due_date else "", item.get_owner_display(), view.effort_label,
            view.severity_label, _cell(view.sources_text),
        ])
    return out.getvalue()


def csv_filename(company: Company, when: dt.datetime) -> str:
    from django.utils.text import slugify

    slug = slugify(company.name)[:60].strip("-") or "company"
    return f"smecyber-action-plan-{slug}-{timezone.localtime(when):%Y-%m-%d}.csv"


@never_cache
@login_required
def action_plan_csv(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)
    access = company.viewer_access  # type: ignore[attr-defined]
    filters = PlanFilters.from_request(request)
    body = plan_csv(company, filters)
    audit.record(AuditEvent.Action.EXPORT, actor=request.user, company=company, request=request,
                 detail={"format": "csv", "what": "action_plan", "access": str(access),
                         "owner": filters.owner, "status": filters.status})
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(csv_filename(company, timezone.now()))
    return response
