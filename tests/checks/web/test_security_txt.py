"""web.security_txt: RFC 9116 verdicts, from crafted content and from loopback servers."""

from __future__ import annotations

import datetime as dt

import pytest
from sectxt import Parser

from smecyber.checks.model import Status
from smecyber.checks.web.security_txt import check_security_txt, content_type_errors, evaluate

from .conftest import WebLab, keys, run_check

URL = "https://example.test/.well-known/security.txt"
SOON = (dt.datetime.now(dt.UTC) + dt.timedelta(days=180)).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
GOOD = b"Contact: mailto:security@example.test\nExpires: " + SOON + b"\nCanonical: " + URL.encode() + b"\n"


def test_good_file() -> None:
    assert keys(evaluate(URL, 200, "text/plain; charset=utf-8", GOOD)) == ["web.security_txt.ok"]


def test_not_found_and_soft_404() -> None:
    assert keys(evaluate(URL, 404, "text/plain", b"")) == ["web.security_txt.missing"]
    assert keys(evaluate(URL, 200, "text/html", b"<html>")) == ["web.security_txt.missing"]


def test_expired_and_missing_fields() -> None:
    expired = evaluate(URL, 200, "text/plain", b"Contact: mailto:a@example.test\nExpires: 2020-01-01T00:00:00Z\n")
    assert "web.security_txt.expired" in keys(expired)
    assert "web.security_txt.no_canonical" in keys(expired)
    no_contact = evaluate(URL, 200, "text/plain", b"Expires: 2099-01-01T00:00:00Z\n")
    assert "web.security_txt.no_contact" in keys(no_contact)
    no_expires = evaluate(URL, 200, "text/plain", b"Contact: mailto:a@example.test\n")
    assert "web.security_txt.no_expires" in keys(no_expires)


def test_wrong_content_type() -> None:
    assert "web.security_txt.wrong_content_type" in keys(evaluate(URL, 200, "application/octet-stream", GOOD))


def test_signed_file_is_detected() -> None:
    body = (b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + GOOD +
            b"-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n")
    assert "web.security_txt.signed" in keys(evaluate(URL, 200, "text/plain", body))


def test_expiry_more_than_a_year_ahead_is_a_recommendation() -> None:
    # RFC 9116 s2.5.5: less than a year ahead is RECOMMENDED; sectxt reports "long_expiry" as a recommendation
    body = GOOD.replace(SOON, b"2099-01-01T00:00:00Z")
    assert keys(evaluate(URL, 200, "text/plain", body)) == ["web.security_txt.ok", "web.security_txt.long_expiry"]


@pytest.mark.parametrize(("content_type", "codes"), [
    ("text/plain", []), ("text/plain; charset=utf-8", []), ('Text/Plain; Charset="UTF-8"', []),
    ("text/plain; charset=csUTF8", []), (None, ["no_content_type"]), ("text/plain; charset=iso-8859-1",
                                                                      ["invalid_charset"]),
    ("application/octet-stream", ["invalid_media"]), ("", ["invalid_media"]),
])
def test_content_type_rules(content_type: str | None, codes: list[str]) -> None:
    # RFC 9116 s3: text/plain, charset utf-8 (the default); sectxt's codes
    assert [e["code"] for e in content_type_errors(content_type)] == codes


def test_wrong_charset_is_wrong_content_type() -> None:
    findings = evaluate(URL, 200, "text/plain; charset=iso-8859-1", GOOD)
    assert keys(findings) == ["web.security_txt.wrong_content_type"]
    assert [e["code"] for e in findings[0].evidence["errors"]] == ["invalid_charset"]


def test_canonical_may_match_the_first_url_of_a_redirect() -> None:
    # RFC 9116 s2.5.2 / sectxt: the first or the last URI of the redirect chain must be listed in Canonical
    final = "https://www.example.test/.well-known/security.txt"
    assert keys(evaluate(final, 200, "text/plain", GOOD, urls=[URL, final])) == ["web.security_txt.ok"]
    assert "web.security_txt.invalid" in keys(evaluate(final, 200, "text/plain", GOOD))


@pytest.mark.parametrize("expires", [b"99999999999999999999", b"9999-12-31T23:59:59+99:99"])
def test_expires_that_crashes_sectxt_is_invalid(expires: bytes) -> None:
    body = GOOD.replace(SOON, expires)
    findings = evaluate(URL, 200, "text/plain", body)
    assert keys(findings) == ["web.security_txt.invalid"]
    assert findings[0].evidence["errors"][-1]["code"] == "invalid_expiry"


def test_transport_errors_make_the_file_invalid() -> None:
    location = {"code": "location", "message": "legacy", "line": None}
    assert keys(evaluate(URL, 200, "text/plain", GOOD, transport_errors=[location])) == ["web.security_txt.invalid"]


_SIG = b"-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n"
SAMPLES = [
    GOOD,
    GOOD.replace(SOON, b"2099-01-01T00:00:00Z"),  # long expiry: a recommendation only
    GOOD.replace(SOON, b"2020-01-01T00:00:00Z"),  # expired
    GOOD.replace(SOON, b"2099-01-01"),  # not RFC 3339
    GOOD.replace(SOON, b"2099-01-01 00:00:00Z"),  # sectxt accepts a space
    GOOD + b"Expires: " + SOON + b"\n",  # Expires twice
    GOOD.replace(b"Contact: mailto:security@example.test\n", b""),  # no Contact
    GOOD.replace(b"mailto:security@example.test", b"security@example.test"),  # Contact not a URI
    GOOD.replace(b"mailto:security@example.test", b"http://example.test/report"),  # web URI not https
    GOOD + b"Contact: https://example.test/report\nContact: tel:+1-201-555-0123\n",  # several Contacts
    GOOD.replace(b"Canonical: https://example.test", b"Canonical: https://other.test"),  # Canonical mismatch
    GOOD.rstrip(b"\n"),  # no final line break
    GOOD.replace(b"\n", b"\r\n"),  # CRLF
    b"\xef\xbb\xbf" + GOOD,  # BOM
    GOOD + b"\xff\n",  # not UTF-8
    GOOD + b"Preferred-Languages: en, nl\n",
    GOOD + b"Preferred-Languages: en\nPreferred-Languages: nl\n",
    GOOD + b"X-Custom: 1\n",  # unknown field: a notification only
    GOOD + b"# a comment\n\n",
    GOOD + b"just text\n",  # a line without a field
    GOOD.replace(b"Contact: ", b"Contact:"),  # no space after the colon
    GOOD.replace(b"Contact: ", b"Contact : "),
    GOOD + b"Hiring: \n",  # empty value
    GOOD + b"CSAF: https://example.test/x.json\n",
    b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + GOOD + _SIG,
    b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + GOOD + _SIG + b"Contact: mailto:x@example.test\n",
    b"",
]


@pytest.mark.parametrize("body", SAMPLES)
def test_verdict_equals_sectxt(body: bytes) -> None:
    """Served correctly, a file passes exactly when sectxt finds no error; every sectxt error is reported."""
    parser = Parser(body, urls=URL)
    findings = evaluate(URL, 200, "text/plain; charset=utf-8", body)
    assert ("web.security_txt.ok" in keys(findings)) is parser.is_valid()
    reported = {e["code"] for f in findings for e in f.evidence.get("errors", [])}
    assert reported == {e["code"] for e in parser.errors}
    recommended = {r["code"] for r in parser.recommendations}
    assert ("web.security_txt.long_expiry" in keys(findings)) is ("long_expiry" in recommended)
    assert ("web.security_txt.signed" in keys(findings)) is ("not_signed" not in recommended)


@pytest.mark.parametrize(("case", "key", "status"), [
    ("good", "web.security_txt.ok", Status.PASS),
    ("no-hsts", "web.security_txt.missing", Status.WARN),
    ("sectxt-expired", "web.security_txt.expired", Status.WARN),
    ("sectxt-html", "web.security_txt.missing", Status.WARN),
    ("sectxt-no-contact", "web.security_txt.no_contact", Status.WARN),
    ("sectxt-wrong-type", "web.security_txt.wrong_content_type", Status.WARN),
    ("reset", "web.security_txt.no_https", Status.INFO),
])
async def test_security_txt_over_the_network(web_lab: WebLab, case: str, key: str, status: Status) -> None:
    findings = await run_check(web_lab, check_security_txt, case)
    assert findings[0].key == key and findings[0].status is status


async def test_legacy_location_is_found_but_invalid(web_lab: WebLab) -> None:
    # RFC 9116 s3: /security.txt is the legacy place; sectxt and internet.nl report it as the "location" error
    findings = await run_check(web_lab, check_security_txt, "sectxt-legacy")
    assert findings[0].key == "web.security_txt.invalid"
    assert findings[0].evidence["url"].endswith("/security.txt")
    assert "location" in {e["code"] for e in findings[0].evidence["errors"]}


async def test_untrusted_certificate_is_invalid(web_lab: WebLab) -> None:
    # sectxt: invalid_cert (RFC 9116 s3: the file must be fetched over HTTPS, which an untrusted certificate is not)
    findings = await run_check(web_lab, check_security_txt, "sectxt-untrusted")
    assert findings[0].key == "web.security_txt.invalid"
    assert [e["code"] for e in findings[0].evidence["errors"]] == ["invalid_cert"]
