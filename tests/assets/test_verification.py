"""Proving ownership against the real lab: a TXT record, a file on the web server (https, then http), and
what the user is told when neither is there. The lookups use the scanner's safety rules."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from smecyber.accounts.models import AuditEvent
from smecyber.assets.models import Domain
from smecyber.assets.verification import verify_domain
from smecyber.lab.lab import Lab
from tests.scans.world import World, make_domain

# The TXT record of src/smecyber/lab/domains/ownership.test.yaml
OWNERSHIP_TOKEN = "lab-ownership-0123456789abcdef"


@pytest.fixture
def upload(lab: Lab) -> Iterator[callable]:
    """Put a verification file on a lab host's web server, removed after the test (the lab is shared)."""
    written: list[Path] = []

    def put(host: str, body: str) -> None:
        path = lab.docroot(host) / ".well-known" / "smecyber-verification.txt"
        path.write_text(body)
        written.append(path)

    yield put
    for path in written:
        path.unlink(missing_ok=True)


def test_dns_txt_record_verifies(world: World, lab_settings) -> None:
    domain = make_domain(world.company, "ownership.test", verification_token=OWNERSHIP_TOKEN)
    result = verify_domain(domain, actor=world.member)
    assert result.ok and result.method == Domain.Method.DNS
    assert "smecyber-verification=" + OWNERSHIP_TOKEN in result.detail
    domain.refresh_from_db()
    assert domain.verified and domain.verified_method == Domain.Method.DNS
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOMAIN_VERIFIED)
    assert (event.actor, event.company, event.detail) == (world.member, world.company, {"method": "dns"})


def test_a_txt_record_with_another_code_does_not_verify(world: World, lab_settings) -> None:
    domain = make_domain(world.company, "ownership.test")  # a fresh random token
    result = verify_domain(domain)
    assert not result.ok and result.method is None
    assert "another code" in result.detail
    domain.refresh_from_db()
    assert not domain.verified
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOMAIN_VERIFIED).exists()


def test_file_over_https_verifies(world: World, lab_settings, upload) -> None:
    domain = make_domain(world.company, "good.test", verification_token=secrets.token_urlsafe(24))
    upload("good.test", domain.verification_token + "\n")
    result = verify_domain(domain)
    assert result.ok and result.method == Domain.Method.FILE
    assert "https://good.test/.well-known/smecyber-verification.txt" in result.detail
    domain.refresh_from_db()
    assert domain.verified_method == Domain.Method.FILE


def test_file_over_http_is_the_fallback(world: World, lab_settings, upload) -> None:
    domain = make_domain(world.company, "ownership.test", verification_token=secrets.token_urlsafe(24))
    upload("ownership.test", domain.verification_token)
    result = verify_domain(domain)
    assert result.ok and result.method == Domain.Method.FILE
    assert "http://ownership.test/.well-known/smecyber-verification.txt" in result.detail


def test_file_with_the_wrong_content_or_missing(world: World, lab_settings, upload) -> None:
    domain = make_domain(world.company, "good.test")
    missing = verify_domain(domain)
    assert not missing.ok
    assert "HTTP status 404" in missing.detail
    assert "no TXT record" in missing.detail  # both ways are reported
    upload("good.test", "some other code")
    wrong = verify_domain(domain)
    assert not wrong.ok
    assert "does not contain the verification code" in wrong.detail


def test_a_domain_that_does_not_exist(world: World, lab_settings) -> None:
    result = verify_domain(make_domain(world.company, "no-such-name.test"))
    assert not result.ok
    assert "does not exist" in result.detail


def test_the_scanners_address_rules_apply(world: World, lab_settings, upload) -> None:
    # Without the lab's loopback exception the web server's address is refused, however valid the file.
    lab_settings.SCAN_ALLOW_LOOPBACK = False
    domain = make_domain(world.company, "good.test")
    upload("good.test", domain.verification_token)
    result = verify_domain(domain)
    assert not result.ok
    assert "loopback" in result.detail


def test_verify_button_reports_what_was_found(world: World, lab_settings) -> None:
    domain = make_domain(world.company, "ownership.test", verification_token=OWNERSHIP_TOKEN)
    client = world.client("member")
    response = client.post(f"/d/{domain.id}/verify/", follow=True)
    assert response.status_code == 200
    assert "is verified" in response.content.decode()
    assert client.get(f"/d/{domain.id}/verify/").status_code == 405  # a state change is POST only
    assert world.client("advisor_with_consent").post(f"/d/{domain.id}/verify/").status_code == 404
