"""The demo world's needs survey and incidents: the coordinator sees published, suppressed figures of a closed
campaign and an open one to try; Demo Shop's owner sees its incident log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smecyber.accounts.models import Company, User
from smecyber.demo_data import COMPANIES, COORDINATOR_EMAIL, OWNER_EMAIL, SURVEY_RESPONSES, create_demo_data
from smecyber.surveys.models import Campaign
from smecyber.surveys.statistics import campaign_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _min_group(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AGGREGATE_MIN_GROUP = 5


def test_demo_has_a_closed_survey_with_figures_an_open_one_and_incidents() -> None:
    assert create_demo_data() is not None
    closed = Campaign.objects.get(status=Campaign.Status.CLOSED)
    assert Campaign.objects.filter(status=Campaign.Status.OPEN).count() == 1
    protected = campaign_statistics(closed)
    assert protected is not None
    total = protected.figure()
    assert total is not None and total.n == SURVEY_RESPONSES
    shown_countries = [c for c in protected.universe["country"] if protected.figure(country=c) is not None]
    assert shown_countries, "no country breakdown clears the small-group rule in the demo"
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=COORDINATOR_EMAIL))
    page = client.get(reverse("campaign_overview", args=[closed.pk]))
    assert page.status_code == 200 and str(SURVEY_RESPONSES) in page.content.decode()
    shop = Company.objects.get(name=COMPANIES[0].name, programme=closed.programme)
    client.force_login(User.objects.get(email=OWNER_EMAIL))
    log = client.get(reverse("incident_list", args=[shop.pk]))
    assert log.status_code == 200 and "Supplier" in log.content.decode()
