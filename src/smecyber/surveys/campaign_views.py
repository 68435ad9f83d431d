"""The coordinator's campaign pages: the list, a new campaign, editing a draft, opening and closing.

Every page asks ``programme_or_404``: a campaign of a programme the caller does not coordinate answers 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smecyber.accounts.models import User
from smecyber.accounts.permissions import programme_or_404
from smecyber.catalog.languages import normalize_language
from smecyber.catalog.survey_template import load_survey_template

from . import services
from .forms import CampaignEditForm, CampaignNewForm
from .models import Campaign
from .statistics import campaign_statistics


def campaign_or_404(user: User, campaign_id: object) -> Campaign:
    """The campaign if ``user`` coordinates its programme, else 404."""
    try:
        campaign = Campaign.objects.select_related("programme").get(pk=campaign_id)
    except (Campaign.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    campaign.programme = programme_or_404(user, campaign.programme_id)
    return campaign


def anonymous_url(campaign: Campaign) -> str:
    """The link to hand out (absolute, on the platform's public address)."""
    return settings.SITE_URL + reverse("survey_answer_anonymous", kwargs={"link_token": campaign.link_token})


def _lang(request: HttpRequest) -> str:
    return normalize_language(getattr(request, "LANGUAGE_CODE", None))


@login_required
def campaign_list(request: HttpRequest, programme_id: object) -> HttpResponse:
    programme = programme_or_404(request.user, programme_id)  # type: ignore[arg-type]
    campaigns = (Campaign.objects.filter(programme=programme)
                 .annotate(n_responses=Count("responses", distinct=True),
                           n_members=Count("participations", distinct=True)))
    rows = [{"campaign": c, "link": anonymous_url(c) if c.status == Campaign.Status.OPEN and c.anonymous_link
             else ""} for c in campaigns]
    return render(request, "surveys/campaign_list.html", {"programme": programme, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest, programme_id: object) -> HttpResponse:
    programme = programme_or_404(request.user, programme_id)  # type: ignore[arg-type]
    form = CampaignNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(programme, request.user,  # type: ignore[arg-type]
                                                title=form.cleaned_data["title"])
        except services.SurveyError as exc:
            form.add_error("title", str(exc))
        else:
            messages.success(request, _("The survey was created as a draft. Choose its questions, then open it."))
            return redirect("campaign_edit", campaign_id=campaign.pk)
    template = load_survey_template()
    lang = _lang(request)
    sections = [{"title": s.texts.get(lang).title,
                 "questions": [q.texts.get(lang).question for q in template.questions.values() if q.section == sid]}
                for sid, s in template.sections.items()]
    return render(request, "surveys/campaign_new.html", {"programme": programme, "form": form,
                                                         "sections": sections}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign_id: object) -> HttpResponse:
    campaign = campaign_or_404(request.user, campaign_id)  # type: ignore[arg-type]
    if campaign.status != Campaign.Status.DRAFT:
        messages.info(request, _("An open or closed survey can no longer be changed."))
        return redirect("campaign_overview", campaign_id=campaign.pk)
    lang = _lang(request)
    form = CampaignEditForm(request.POST or None, campaign=campaign, lang=lang)
    if request.method == "POST" and form.is_valid():
        fixed = [q.id for q in services.all_questions(campaign) if q.fixed]
        try:
            services.update_campaign(campaign, title=form.cleaned_data["title"], intro=form.intro(),
                                     included=[*fixed, *form.cleaned_data["included"]],
                                     anonymous_link=form.cleaned_data["anonymous_link"],
                                     members=form.cleaned_data["members"])
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("campaign_list", programme_id=campaign.programme_id)
    return render(request, "surveys/campaign_edit.html", {"programme": campaign.programme, "campaign": campaign,
                                                          "form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["POST"])
def campaign_open(request: HttpRequest, campaign_id: object) -> HttpResponse:
    campaign = campaign_or_404(request.user, campaign_id)  # type: ignore[arg-type]
    try:
        services.open_campaign(campaign, request.user)  # type: ignore[arg-type]
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The survey is open. Share the link or tell the programme's SMEs."))
    return redirect("campaign_list", programme_id=campaign.programme_id)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_close(request: HttpRequest, campaign_id: object) -> HttpResponse:
    """GET asks for confirmation (closing is final); POST closes."""
    campaign = campaign_or_404(request.user, campaign_id)  # type: ignore[arg-type]
    if request.method == "GET":
        if campaign.status != Campaign.Status.OPEN:
            return redirect("campaign_list", programme_id=campaign.programme_id)
        return render(request, "surveys/campaign_close.html", {
            "programme": campaign.programme, "campaign": campaign, "n_responses": campaign.responses.count()})
    try:
        services.close_campaign(campaign, request.user)  # type: ignore[arg-type]
    except services.SurveyError as exc:
        messages.error(request, str(exc))
        return redirect("campaign_list", programme_id=campaign.programme_id)
    # The published figures are final from now on: compute and cache them once here, so no reader waits for it.
    campaign.refresh_from_db()
    campaign_statistics(campaign)
    messages.success(request, _("The survey is closed. Its figures are now published on its overview."))
    return redirect("campaign_overview", campaign_id=campaign.pk)
