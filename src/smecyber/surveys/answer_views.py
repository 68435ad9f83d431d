"""Answering a survey: through the anonymous link (no login), or as a member SME's person (one answer per SME).

One page with a fieldset per section (works on a phone, nothing is kept half-way: no session, no draft). The
texts come from the campaign's frozen definition in the request's language (the footer's switch changes it).
Nothing about the respondent is stored: no IP address, no user agent, no account; a member answer records
only that the SME answered (``Participation``), apart from its response.

The anonymous link cannot enforce one answer per SME: anyone with the link may answer, and the cookie that
marks a browser as having answered only stops a second answer from that browser. Logged-in SMEs answer once
per company for certain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smecyber.accounts.models import Company, Membership
from smecyber.accounts.permissions import company_or_404
from smecyber.catalog.languages import normalize_language

from . import services
from .models import Campaign, Participation
from .prefill import prefill_answers

COOKIE_PREFIX = "survey_answered_"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
FIELD_PREFIX = "q-"


def _lang(request: HttpRequest) -> str:
    return normalize_language(getattr(request, "LANGUAGE_CODE", None))


def _posted_answers(campaign: Campaign, post: QueryDict) -> dict[str, list[str]]:
    return {q.id: post.getlist(FIELD_PREFIX + q.id) for q in services.questions_of(campaign)}


def form_parts(campaign: Campaign, lang: str, answers: Mapping[str, list[str]],
               errors: Mapping[str, str]) -> list[dict[str, Any]]:
    """The sections and questions of the form, ready for the template (texts in ``lang``)."""
    parts = []
    for part in services.parts_of(campaign, lang):
        questions = []
        for q in part.questions:
            text = q.texts.get(lang)
            chosen = set(answers.get(q.id, ()))
            questions.append({
                "id": q.id, "field": FIELD_PREFIX + q.id, "anchor": f"question-{q.id}", "kind": q.kind,
                "question": text.question, "help": text.help, "error": errors.get(q.id, ""),
                "exclusive_label": q.option_label(q.exclusive, lang) if q.exclusive else "",
                "options": [{"id": oid, "label": q.option_label(oid, lang), "checked": oid in chosen,
                             "exclusive": oid == q.exclusive} for oid in q.options],
            })
        parts.append({"id": part.id, "number": part.number, "title": part.title, "intro": part.intro,
                      "questions": questions})
    return parts


def _form_context(campaign: Campaign, lang: str, answers: Mapping[str, list[str]],
                  errors: Mapping[str, str]) -> dict[str, Any]:
    parts = form_parts(campaign, lang, answers, errors)
    return {"campaign": campaign, "parts": parts, "part_count": len(parts), "errors": errors,
            "intro": services.intro_of(campaign, lang),
            "error_list": [q for p in parts for q in p["questions"] if q["error"]]}


# --- the anonymous link ---------------------------------------------------------------------------------------

def _cookie_name(campaign: Campaign) -> str:
    return COOKIE_PREFIX + campaign.pk.hex


def _member_company(request: HttpRequest, campaign: Campaign) -> Company | None:
    """A logged-in person's SME in the campaign's programme (to suggest answering once, as the SME)."""
    if not campaign.members or not request.user.is_authenticated:
        return None
    membership = (Membership.objects.filter(user=request.user, company__programme_id=campaign.programme_id)
                  .select_related("company").first())
    return membership.company if membership else None


@require_http_methods(["GET", "POST"])
def answer_anonymous(request: HttpRequest, link_token: str) -> HttpResponse:
    campaign = Campaign.objects.filter(link_token=link_token).first()
    if campaign is None or campaign.status == Campaign.Status.DRAFT or not campaign.anonymous_link:
        raise Http404
    if campaign.status == Campaign.Status.CLOSED:
        return render(request, "surveys/answer_closed.html", {"campaign": campaign})
    if request.COOKIES.get(_cookie_name(campaign)):
        thanks = request.method == "GET" and request.GET.get("thanks") == "1"
        return render(request, "surveys/answer_done.html", {"campaign": campaign, "already": not thanks,
                                                            "anonymous": True},
                      status=409 if request.method == "POST" else 200)
    lang = _lang(request)
    answers: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        answers = _posted_answers(campaign, request.POST)
        try:
            services.submit_response(campaign, answers, language=lang)
        except services.InvalidAnswers as exc:
            errors = exc.errors
        except services.SurveyError as exc:  # closed meanwhile
            return render(request, "surveys/answer_closed.html", {"campaign": campaign, "message": str(exc)},
                          status=409)
        else:
            response = redirect(f"{request.path}?thanks=1")
            response.set_cookie(_cookie_name(campaign), "1", max_age=COOKIE_MAX_AGE, path=request.path,
                                secure=request.is_secure(), httponly=True, samesite="Lax")
            return response
    context = _form_context(campaign, lang, answers, errors)
    context["member_company"] = _member_company(request, campaign)
    return render(request, "surveys/answer.html", context, status=400 if errors else 200)


# --- member SMEs ----------------------------------------------------------------------------------------------

@login_required
def company_surveys(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")  # type: ignore[arg-type]
    answered = set(Participation.objects.filter(company=company).values_list("campaign_id", flat=True))
    rows = [{"campaign": c, "answered": c.pk in answered}
            for c in Campaign.objects.filter(programme_id=company.programme_id, members=True,
                                             status=Campaign.Status.OPEN)]
    return render(request, "surveys/answer_list.html", {"company": company, "rows": rows})


def _member_campaign_or_404(company: Company, campaign_id: object) -> Campaign:
    campaign = (Campaign.objects.filter(pk=campaign_id, programme_id=company.programme_id, members=True)
                .exclude(status=Campaign.Status.DRAFT).first())
    if campaign is None:
        raise Http404
    return campaign


@login_required
@require_http_methods(["GET", "POST"])
def answer_member(request: HttpRequest, company_id: object, campaign_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")  # type: ignore[arg-type]
    campaign = _member_campaign_or_404(company, campaign_id)
    base = {"company": company, "campaign": campaign}
    if campaign.status == Campaign.Status.CLOSED:
        return render(request, "surveys/answer_closed.html", base)
    if services.has_answered(campaign, company):
        return render(request, "surveys/answer_done.html", {**base, "already": True},
                      status=409 if request.method == "POST" else 200)
    lang = _lang(request)
    answers: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    prefilled = None
    if request.method == "POST":
        answers = _posted_answers(campaign, request.POST)
        try:
            services.submit_response(campaign, answers, language=lang, company=company)
        except services.InvalidAnswers as exc:
            errors = exc.errors
        except services.AlreadyAnswered:
            return render(request, "surveys/answer_done.html", {**base, "already": True}, status=409)
        except services.SurveyError as exc:
            return render(request, "surveys/answer_closed.html", {**base, "message": str(exc)}, status=409)
        else:
            messages.success(request, _("Thank you: your company's answers were stored, without its name."))
            return redirect("company_surveys", company_id=company.pk)
    elif request.GET.get("prefill") == "1":
        answers, assessment = prefill_answers(campaign, company)
        prefilled = {"assessment": assessment}
    context = {**base, **_form_context(campaign, lang, answers, errors), "prefilled": prefilled}
    return render(request, "surveys/answer_member.html", context, status=400 if errors else 200)
