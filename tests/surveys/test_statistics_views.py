"""The campaign overview: the response count always, figures only once closed, hidden groups without numbers, the
filter's bad values refused, and only the programme's coordinators get in."""

from __future__ import annotations

import random
import re

import pytest
from django.urls import reverse

from smecyber.accounts.models import AuditEvent
from smecyber.surveys.models import Campaign
from tests.surveys.conftest import SurveyWorld
from tests.surveys.population import close, random_answers, store

pytestmark = pytest.mark.django_db
HIDDEN = "hidden: fewer than 5 responses, or hidden so that a small group cannot be worked out"


def overview(campaign: Campaign, **params: str) -> str:
    url = reverse("campaign_overview", kwargs={"campaign_id": campaign.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def answered(campaign: Campaign) -> Campaign:
    """P's open campaign with 30 responses from SE (sector J) and 3 from LV (sector C)."""
    rng = random.Random(11)
    store(campaign, [random_answers(campaign, rng, country="SE", sector="J", size_band="small") for _ in range(30)])
    store(campaign, [random_answers(campaign, rng, country="LV", sector="C", size_band="micro") for _ in range(3)])
    return campaign


def test_open_campaign_shows_the_count_and_why_there_are_no_figures(sw: SurveyWorld, answered: Campaign) -> None:
    response = sw.client(sw.coordinator).get(overview(answered))
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<span class="value">33</span>', page)
    assert "Figures appear here when the survey is closed" in page
    assert "<svg" not in page and "chart-data" not in page
    assert "evidence." not in page  # no links to the evidence pack either
    # filters cannot pry figures out of an open campaign
    assert "<svg" not in sw.client(sw.coordinator).get(overview(answered, country="SE")).content.decode()


def test_closed_campaign_shows_figures_with_n_and_intervals(sw: SurveyWorld, answered: Campaign) -> None:
    close(answered, sw.coordinator)
    response = sw.client(sw.coordinator).get(overview(answered))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') >= 10
    assert "33 responses in this group" in page
    assert "95% confidence interval" in page
    assert "92.8%" in page  # Eurostat's "any measure", beside ours
    assert "10 or more employees" in page
    for fmt in ("pdf", "xlsx", "csv"):
        assert reverse("campaign_export", kwargs={"campaign_id": answered.pk, "fmt": fmt}) in page
    # the breakdown: LV's 3 responses are hidden
    lv_row = re.search(r'<th scope="row">Latvia</th>(.*?)</tr>', page, re.S)
    assert lv_row and HIDDEN in lv_row.group(1)
    assert not re.search(r"\d", lv_row.group(1).replace(HIDDEN, ""))


def test_a_hidden_group_shows_no_figure(sw: SurveyWorld, answered: Campaign) -> None:
    close(answered, sw.coordinator)
    response = sw.client(sw.coordinator).get(overview(answered, country="LV"))
    assert response.status_code == 200
    assert response.context["cell_n"] is None
    assert response.context["question_charts"] == []
    page = response.content.decode()
    assert HIDDEN in page
    assert "responses in this group" not in page


def test_unknown_filter_values_answer_400(sw: SurveyWorld, answered: Campaign) -> None:
    close(answered, sw.coordinator)
    client = sw.client(sw.coordinator)
    for params in ({"country": "XX"}, {"sector": "ZZ"}, {"size_band": "huge"}, {"indicator": "country.SE"}):
        response = client.get(overview(answered, **params))
        assert response.status_code == 400, params
        assert "<svg" not in response.content.decode()


@pytest.mark.parametrize("who", ["owner", "member", "other_coordinator"])
def test_only_the_programmes_coordinators_see_it(sw: SurveyWorld, answered: Campaign, who: str) -> None:
    close(answered, sw.coordinator)
    client = sw.client(getattr(sw, who))
    assert client.get(overview(answered)).status_code == 404
    url = reverse("campaign_export", kwargs={"campaign_id": answered.pk, "fmt": "csv"})
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_export_of_an_open_campaign_redirects_with_a_message(sw: SurveyWorld, answered: Campaign) -> None:
    for fmt in ("csv", "xlsx", "pdf"):
        url = reverse("campaign_export", kwargs={"campaign_id": answered.pk, "fmt": fmt})
        response = sw.client(sw.coordinator).get(url, follow=True)
        assert response.redirect_chain[-1][0] == overview(answered)
        assert "The evidence pack is made when the survey is closed" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
