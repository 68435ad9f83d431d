"""Platform admins set up organisations, programmes, coordinators and advisors in the Django admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from smecyber.accounts.models import ProgrammeRole, User
from smecyber.assets.models import Domain
from smecyber.scans.models import Scan, ScanFinding

from .helpers import World, client_for


@pytest.mark.django_db
def test_admin_sets_up_programmes_and_roles_but_never_shows_findings(world: World) -> None:
    admin = client_for(User.objects.create_superuser(email="root@platform.test", password="x" * 12))
    for url in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_supportorganisation_changelist"),
        reverse("admin:accounts_programme_add"),
        reverse("admin:accounts_company_changelist"),
    ):
        assert admin.get(url).status_code == 200, url
    programme_page = admin.get(reverse("admin:accounts_programme_change", args=[world.programme.pk]))
    assert "coordinators and advisors" in programme_page.content.decode().lower()
    assert world.advisor.email in programme_page.content.decode()

    domain = Domain.objects.create(company=world.a, name="alfa.test", display_name="alfa.test")
    scan = Scan.objects.create(domain=domain, status="done")
    ScanFinding.objects.create(scan=scan, check_id="web.hsts", key="web.hsts.missing", status="fail",
                               severity="medium", evidence={"header": "secret-evidence"})
    company_page = admin.get(reverse("admin:accounts_company_change", args=[world.a.pk])).content.decode()
    assert world.owner.email in company_page
    assert "secret-evidence" not in company_page and "web.hsts.missing" not in company_page

    # a coordinator added through the inline gets the role
    response = admin.post(reverse("admin:accounts_programme_change", args=[world.programme.pk]), {
        "organisation": world.programme.organisation.pk, "name": world.programme.name, "description": "",
        "open_for_signup": "on", "created_at_0": "2026-01-01", "created_at_1": "00:00:00",
        "roles-TOTAL_FORMS": "3", "roles-INITIAL_FORMS": "2", "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        **{f"roles-{i}-{k}": v for i, role in enumerate(world.programme.roles.order_by("pk"))
           for k, v in {"id": role.pk, "programme": world.programme.pk, "user": role.user_id,
                        "role": role.role}.items()},
        "roles-2-programme": world.programme.pk, "roles-2-user": world.member.pk, "roles-2-role": "coordinator",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ProgrammeRole.objects.filter(user=world.member, programme=world.programme, role="coordinator").exists()


@pytest.mark.django_db
def test_admin_is_for_staff_only(world: World) -> None:
    response = client_for(world.owner).get(reverse("admin:accounts_company_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]
