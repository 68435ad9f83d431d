"""The lab's web servers: configured headers over HTTPS with the lab CA, redirects, MTA-STS, certificates."""

from __future__ import annotations

import ssl

import pytest

from smecyber.lab.lab import Lab

from .helpers import http_get


def test_https_serves_configured_headers(lab: Lab) -> None:
    status, headers, body = http_get(lab, "good.test")
    assert status == 200
    spec = lab.spec("good.test").web
    assert spec is not None
    for name, value in spec.headers.items():
        assert headers[name.lower()] == [value]
    assert headers["set-cookie"] == spec.cookies
    assert b"Good Ltd" in body


def test_www_is_served_too(lab: Lab) -> None:
    status, _, _ = http_get(lab, "www.good.test", domain="good.test")
    assert status == 200


def test_http_redirects_to_https(lab: Lab) -> None:
    status, headers, _ = http_get(lab, "good.test", "/a?b=1", tls=False)
    assert status == 301
    assert headers["location"] == ["https://good.test/a?b=1"]


def test_security_txt_has_a_future_expiry(lab: Lab) -> None:
    status, headers, body = http_get(lab, "good.test", "/.well-known/security.txt")
    assert status == 200
    assert headers["content-type"][0].startswith("text/plain")
    assert b"Contact: mailto:security@good.test" in body
    assert b"{expires}" not in body


def test_unknown_path_is_404(lab: Lab) -> None:
    assert http_get(lab, "good.test", "/nothing-here")[0] == 404


def test_mta_sts_policy(lab: Lab) -> None:
    status, _, body = http_get(lab, "mta-sts.good.test", "/.well-known/mta-sts.txt", domain="good.test")
    assert status == 200
    assert body.decode().split("\r\n")[:3] == ["version: STSv1", "mode: enforce", "mx: mail.good.test"]


def test_certificate_is_issued_by_the_lab_ca(lab: Lab) -> None:
    # verification with the lab CA already happened in http_get; here: the wrong CA is refused
    import socket

    ctx = ssl.create_default_context()  # system store: does not know the lab CA
    with socket.create_connection((lab.address_of("good.test"), 443), timeout=5) as raw, \
            pytest.raises(ssl.SSLCertVerificationError):
        ctx.wrap_socket(raw, server_hostname="good.test")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_tls_versions_are_enforced(lab: Lab) -> None:
    import socket

    ctx = ssl.create_default_context(cafile=str(lab.ca_file))
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    with socket.create_connection((lab.address_of("good.test"), 443), timeout=5) as raw, \
            pytest.raises(ssl.SSLError):
        ctx.wrap_socket(raw, server_hostname="good.test")


def test_a_host_without_a_configured_body_serves_the_default_page(lab: Lab) -> None:
    spec = lab.spec("mail-mtasts-mismatch.test")
    assert spec.web is not None and "/" not in spec.web.paths
    status, _, body = http_get(lab, "mail-mtasts-mismatch.test")
    assert status == 200
    assert body.startswith(b"<!doctype html>")
