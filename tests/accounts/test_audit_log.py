"""The audit log page: the SME's own events, for its own people, a page at a time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from smecyber.accounts.data_views import AUDIT_PAGE_SIZE
from smecyber.accounts.models import AuditEvent

from .helpers import World, client_for


@pytest.mark.django_db
def test_audit_page_shows_the_smes_events_only(world: World) -> None:
    AuditEvent.objects.create(company=world.a, actor=world.advisor, actor_email=world.advisor.email,
                              action=AuditEvent.Action.VIEW_RESULTS, target="alfa.test")
    AuditEvent.objects.create(company=world.b, actor=world.other_sme, actor_email=world.other_sme.email,
                              action=AuditEvent.Action.DOMAIN_ADDED, target="beta.test")
    for user in (world.owner, world.member):
        page = client_for(user).get(reverse("audit_log", args=[world.a.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "alfa.test" in html and world.advisor.email in html and "viewed results" in html
        assert "beta.test" not in html and world.other_sme.email not in html
    for outsider in (world.advisor, world.coordinator, world.other_sme):
        assert client_for(outsider).get(reverse("audit_log", args=[world.a.pk])).status_code == 404


@pytest.mark.django_db
def test_audit_page_is_paginated_newest_first(world: World) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(company=world.a, action=AuditEvent.Action.VIEW_REPORT, target=f"event-{i:03d}")
        for i in range(AUDIT_PAGE_SIZE + 5)
    )
    AuditEvent.objects.create(company=world.a, action=AuditEvent.Action.EXPORT, target="newest-event")
    client = client_for(world.owner)
    first = client.get(reverse("audit_log", args=[world.a.pk])).content.decode()
    assert "newest-event" in first and "?page=2" in first
    assert first.count("<tr>") == AUDIT_PAGE_SIZE + 1  # header row + one page
    second = client.get(reverse("audit_log", args=[world.a.pk]) + "?page=2").content.decode()
    assert "newest-event" not in second and second.count("<tr>") == 1 + 6
