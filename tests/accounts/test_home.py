"""The start page and the advisor's list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smecyber.accounts.models import AdvisorConsent

from .helpers import World, client_for, make_user


@pytest.mark.django_db
def test_anonymous_visitors_get_the_introduction() -> None:
    html = Client().get(reverse("home")).content.decode()
    assert reverse("account_signup") in html and reverse("account_login") in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_signed_in_home_lists_own_advised_and_coordinated(world: World) -> None:
    AdvisorConsent.objects.create(company=world.b, advisor=world.advisor, granted_by=world.other_sme)
    owner_home = client_for(world.owner).get(reverse("home")).content.decode()
    assert world.a.name in owner_home and world.b.name not in owner_home
    advisor_home = client_for(world.advisor).get(reverse("home")).content.decode()
    assert world.b.name in advisor_home and world.a.name not in advisor_home
    assert reverse("advisor_home") in advisor_home
    coordinator_home = client_for(world.coordinator).get(reverse("home")).content.decode()
    assert world.programme.name in coordinator_home
    assert world.a.name not in coordinator_home and world.b.name not in coordinator_home
    newcomer_home = client_for(make_user("new@gamma.test")).get(reverse("home")).content.decode()
    assert reverse("onboarding") in newcomer_home


@pytest.mark.django_db
def test_advisor_home_lists_only_active_consents(world: World) -> None:
    active = AdvisorConsent.objects.create(company=world.a, advisor=world.advisor, granted_by=world.owner)
    AdvisorConsent.objects.create(company=world.b, advisor=world.advisor, granted_by=world.other_sme,
                                  revoked_at=active.granted_at, revoked_by=world.other_sme)
    html = client_for(world.advisor).get(reverse("advisor_home")).content.decode()
    assert world.a.name in html and world.b.name not in html
    assert world.a.name not in client_for(world.coordinator).get(reverse("advisor_home")).content.decode()
