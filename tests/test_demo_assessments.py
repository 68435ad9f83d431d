"""The demo world's self-assessments: most demo SMEs have a submitted one with an action plan, Demo Shop's owner
sees a peer benchmark, and running the demo again creates nothing."""

from __future__ import annotations

import html as htmllib
import time

import pytest
from django.test import Client
from django.urls import reverse

from smecyber.accounts.models import Company, User
from smecyber.assessments import services
from smecyber.assessments.models import ActionItem, Answer, Assessment
from smecyber.demo_data import ASSESSMENTS, COMPANIES, OWNER_EMAIL, PEERS, create_demo_data, demo_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _min_group(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AGGREGATE_MIN_GROUP = 5


def test_demo_smes_have_submitted_assessments_plans_and_demo_shop_a_benchmark() -> None:
    started = time.monotonic()
    assert create_demo_data() is not None
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"the demo took {elapsed:.1f} s"

    demo = {spec.name for spec in COMPANIES}
    assessed = set(Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
                   .values_list("company__name", flat=True))
    assert assessed == set(ASSESSMENTS) | {name for name, _spec in PEERS}
    assert len(set(ASSESSMENTS) & demo) >= len(demo) - 2  # most demo SMEs; a few show "not done yet"
    assert not Assessment.objects.filter(status=Assessment.Status.DRAFT).exists()
    for company in Company.objects.filter(name__in=ASSESSMENTS):
        assessment = services.latest_submitted(company)
        assert assessment is not None and assessment.overall is not None
        assert company.action_items.filter(active=True).exists(), company.name
    # varied: not every SME scores the same
    assert len({a.overall for a in Assessment.objects.all()}) >= 8

    shop = Company.objects.get(name="Demo Shop")
    peers = Company.objects.filter(name__in=[name for name, _spec in PEERS])
    assert peers.count() == 5
    assert all((p.country, p.size_band, p.sector) == (shop.country, shop.size_band, shop.sector) for p in peers)
    assert not peers.filter(domains__isnull=False).exists() and not peers.filter(memberships__isnull=False).exists()
    assert len(services.group_scores(shop)) == 6

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=OWNER_EMAIL))
    page = htmllib.unescape(client.get(reverse("company_report", kwargs={"company_id": shop.id})).content.decode())
    assert "Your position:" in page and "group size: 6" in page

    counts = (Company.objects.count(), Assessment.objects.count(), Answer.objects.count(), ActionItem.objects.count(),
              User.objects.count())
    assert create_demo_data() is None  # a second run creates nothing
    assert (Company.objects.count(), Assessment.objects.count(), Answer.objects.count(), ActionItem.objects.count(),
            User.objects.count()) == counts


def test_demo_answers_are_the_same_on_every_run_and_follow_the_practice_level() -> None:
    questions = {f"area.q{i}": ("0", "0.25", "0.5", "1", "na") for i in range(200)}
    assert demo_answers(questions, "Demo Shop", 0.5) == demo_answers(questions, "Demo Shop", 0.5)
    assert demo_answers(questions, "Demo Shop", 0.5) != demo_answers(questions, "Other Shop", 0.5)
    value = {"0": 0.0, "0.25": 0.25, "0.5": 0.5, "1": 1.0}

    def mean(answers: dict[str, str]) -> float:
        scored = [value[a] for a in answers.values() if a != "na"]
        return sum(scored) / len(scored)

    assert mean(demo_answers(questions, "x", 0.2)) < mean(demo_answers(questions, "x", 0.8))
    yesno = demo_answers({"a.b": ("0", "1", "na")}, "x", 0.5)
    assert set(yesno.values()) <= {"0", "1", "na"}


def test_demo_nis2_sectors_exist_in_the_questionnaire() -> None:
    q = services.questionnaire()
    for spec in [*ASSESSMENTS.values(), *(spec for _name, spec in PEERS)]:
        assert not spec.nis2_sector or spec.nis2_sector in q.nis2_sectors
