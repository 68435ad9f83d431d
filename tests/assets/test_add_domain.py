"""Adding a domain: normalisation (IDNA, case, trailing dot), refusals with a clear message, the add form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from smecyber.accounts.models import AuditEvent
from smecyber.assets.models import Domain
from smecyber.assets.services import DomainInputError, add_domain
from tests.scans.world import World


def test_unicode_name_is_stored_as_a_label_and_shown_in_unicode(world: World, settings) -> None:
    settings.SCAN_SCHEDULE_DAYS = 7
    domain = add_domain(world.company, "  Bücher.TEST. ", user=world.member)
    assert domain.name == "xn--bcher-kva.test"
    assert domain.display_name == "bücher.test"
    assert domain.added_by == world.member
    assert domain.schedule == Domain.Schedule.WEEKLY
    assert abs(domain.next_scan_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOMAIN_ADDED)
    assert (event.company, event.actor, event.target) == (world.company, world.member, "xn--bcher-kva.test")


@pytest.mark.parametrize(("raw", "words"), [
    ("", "Enter a domain name"),
    ("https://example.com/shop", "domain name only"),
    ("info@example.com", "domain name only"),
    ("127.0.0.1", "IP addresses"),
    ("2130706433", "IP addresses"),  # 127.0.0.1 as one number
    ("[::1]", "IP addresses"),
    ("localhost", "at least two parts"),
    ("exa_mple.com", "only letters, digits"),
    ("a..example.com", "two dots"),
    ("x" * 64 + ".com", "too long"),
])
def test_bad_names_are_refused_with_advice(world: World, raw: str, words: str) -> None:
    with pytest.raises(DomainInputError) as info:
        add_domain(world.company, raw, user=world.owner)
    assert words in info.value.message
    assert not Domain.objects.exists()


def test_same_domain_twice_is_refused_but_another_sme_may_add_it(world: World) -> None:
    add_domain(world.company, "example.test", user=world.owner)
    with pytest.raises(DomainInputError, match="already in your list"):
        add_domain(world.company, "EXAMPLE.test.", user=world.member)
    add_domain(world.other_company, "example.test", user=world.other_sme)
    assert Domain.objects.filter(name="example.test").count() == 2


def test_add_form_shows_the_error_beside_the_field(world: World) -> None:
    client = world.client("member")
    response = client.post(f"/c/{world.company.id}/domains/add/", {"name": "http://example.com/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "domain name only" in html
    assert 'value="http://example.com/"' in html  # what was typed stays in the field


def test_add_form_accepts_an_idn_and_leads_to_the_domain_page(world: World) -> None:
    client = world.client("owner")
    response = client.post(f"/c/{world.company.id}/domains/add/", {"name": "bücher.test"}, follow=True)
    domain = Domain.objects.get()
    assert response.redirect_chain[-1][0] == f"/d/{domain.id}/"
    html = response.content.decode()
    assert "<h1>bücher.test" in html
    assert domain.txt_record in html  # the verification instructions with the copyable value
    assert "/.well-known/smecyber-verification.txt" in html


def test_advisor_cannot_add(world: World) -> None:
    client = world.client("advisor_with_consent")
    assert client.get(f"/c/{world.company.id}/domains/add/").status_code == 404
    assert client.post(f"/c/{world.company.id}/domains/add/", {"name": "x.test"}).status_code == 404
    assert not Domain.objects.exists()
