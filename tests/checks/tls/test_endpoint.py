"""tls_endpoint_report and tls_findings against real TLS servers on loopback, in both depths.

Every case runs deep (sslyze) and sweep (Python ssl probes); the verdicts they share must be equal.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import warnings

import pytest

from smecyber.checks.model import Finding, Status
from smecyber.checks.tls import web as tls_web
from smecyber.checks.tls.certificate import check_certificate
from smecyber.checks.tls.ciphers import check_ciphers
from smecyber.checks.tls.endpoint import TlsEndpointReport, tls_endpoint_report, tls_findings
from smecyber.checks.tls.protocols import check_protocols
from smecyber.checks.tls.verdicts import OUTCOMES

from .conftest import MakeCtx
from .tls_servers import LocalCA, ServerSpec, running

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    TLS10 = ssl.TLSVersion.TLSv1  # deprecated, and exactly what these servers must offer
DEEP_ONLY = ("tls.ciphers.", "tls.key_exchange.")


async def _scan(make_ctx: MakeCtx, spec: ServerSpec, host: str, depth: str, **kw: object) -> TlsEndpointReport:
    with running(spec) as srv:
        ctx = make_ctx(host, {host: "127.0.0.1"}, depth=depth, **kw)
        return await tls_endpoint_report(ctx, host, srv.port, starttls="smtp" if spec.starttls else None)


def _verdicts(report: TlsEndpointReport, *, deep_only: bool = True) -> set[tuple[str, str]]:
    found = tls_findings("tls.test", report, score_group="tls", subject=report.host)
    return {(f.key, str(f.status)) for f in found if deep_only or not f.key.startswith(DEEP_ONLY)}


async def _both(make_ctx: MakeCtx, spec: ServerSpec, host: str) -> tuple[set[tuple[str, str]], TlsEndpointReport]:
    deep = await _scan(make_ctx, spec, host, "deep")
    sweep = await _scan(make_ctx, spec, host, "sweep")
    assert deep.error is None and sweep.error is None, (deep.error, sweep.error)
    assert deep.ciphers_enumerated and not sweep.ciphers_enumerated
    # the promise of sweep depth: whatever it reports, deep reports the same
    assert _verdicts(sweep) == _verdicts(deep, deep_only=False)
    return _verdicts(deep), deep


async def test_good_server(make_ctx: MakeCtx, ca: LocalCA) -> None:
    cert, key = ca.issue(["good.test", "*.good.test"])
    verdicts, deep = await _both(make_ctx, ServerSpec(cert, key, ciphers="ECDHE+AESGCM:ECDHE+CHACHA20"), "good.test")
    assert verdicts == {("tls.protocols.ok", "pass"), ("tls.ciphers.ok", "pass"), ("tls.key_exchange.ok", "pass"),
                        ("tls.certificate.ok", "pass")}
    assert deep.protocols == {"SSLv2": False, "SSLv3": False, "TLSv1.0": False, "TLSv1.1": False,
                              "TLSv1.2": True, "TLSv1.3": True}
    assert "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" in deep.ciphers["TLSv1.2"]
    assert deep.cert_trusted and deep.hostname_matches and deep.cert and deep.cert.key_type == "ec"
    assert deep.cert_chain_der and deep.handshakes > 100


async def test_sweep_handshake_count(make_ctx: MakeCtx, ca: LocalCA) -> None:
    cert, key = ca.issue(["count.test"])
    with running(ServerSpec(cert, key)) as srv:
        ctx = make_ctx("count.test", {"count.test": "127.0.0.1"}, depth="sweep")
        report = await tls_endpoint_report(ctx, "count.test", srv.port)
        again = await tls_endpoint_report(ctx, "count.test", srv.port)  # memoised: no new handshakes
    assert again is report
    assert report.handshakes == 3  # default + TLS 1.1 + TLS 1.0
    assert ctx.scan.counters == {f"tls_handshakes:127.0.0.1:{srv.port}": 3}
    assert report.ciphers == {"TLSv1.3": ["TLS_AES_256_GCM_SHA384"]}


async def test_tls10_enabled(make_ctx: MakeCtx, ca: LocalCA) -> None:
    cert, key = ca.issue(["legacy10.test"])
    verdicts, deep = await _both(make_ctx, ServerSpec(cert, key, min_version=TLS10), "legacy10.test")
    assert ("tls.protocols.phase_out", "warn") in verdicts
    assert deep.protocols["TLSv1.0"] and deep.protocols["TLSv1.1"]


async def test_tls12_only_no_tls13(make_ctx: MakeCtx, ca: LocalCA) -> None:
    cert, key = ca.issue(["tls12.test"])
    spec = ServerSpec(cert, key, max_version=ssl.TLSVersion.TLSv1_2)
    verdicts, _ = await _both(make_ctx, spec, "tls12.test")
    assert {("tls.protocols.ok", "pass"), ("tls.protocols.no_tls13", "info")} <= verdicts


async def test_weak_ciphers(make_ctx: MakeCtx, ca: LocalCA) -> None:
    cert, key = ca.issue(["weak.test"], key_kind="rsa", key_size=2048)
    spec = ServerSpec(cert, key, max_version=ssl.TLSVersion.TLSv1_2, ciphers="AES128-SHA:DES-CBC3-SHA:ECDHE+AESGCM")
    verdicts, deep = await _both(make_ctx, spec, "weak.test")
    assert ("tls.ciphers.phase_out", "warn") in verdicts
    assert "TLS_RSA_WITH_AES_128_CBC_SHA" in deep.ciphers["TLSv1.2"]
    assert ("tls.certificate.ok", "pass") in verdicts  # RSA 2048 is sufficient under v2.1


async def test_insufficient_cipher(make_ctx: MakeCtx, ca: LocalCA) -> None:
    cert, key = ca.issue(["anon.test"], key_kind="rsa", key_size=2048)
    spec = ServerSpec(cert, key, max_version=ssl.TLSVersion.TLSv1_2, ciphers="ECDHE+AESGCM:NULL-SHA256")
    verdicts, deep = await _both(make_ctx, spec, "anon.test")
    assert ("tls.ciphers.insufficient", "fail") in verdicts
    assert "TLS_RSA_WITH_NULL_SHA256" in deep.ciphers["TLSv1.2"]


@pytest.mark.parametrize(("case", "issue_kw", "expected"), [
    ("expired", {"expired": True}, {("tls.certificate.expired", "fail")}),
    ("selfsigned", {"self_signed": True}, {("tls.certificate.self_signed", "fail")}),
    ("soon", {"days_valid": 5}, {("tls.certificate.expires_soon", "warn")}),
    ("rsa1024", {"key_kind": "rsa", "key_size": 1024}, {("tls.certificate.key_insufficient", "fail")}),
])
async def test_certificate_problems(make_ctx: MakeCtx, ca: LocalCA, case: str, issue_kw: dict, expected: set) -> None:
    host = f"tls-{case}.test"
    cert, key = ca.issue([host], **issue_kw)
    verdicts, _ = await _both(make_ctx, ServerSpec(cert, key), host)
    cert_verdicts = {v for v in verdicts if v[0].startswith("tls.certificate.")}
    if case == "rsa1024":  # the CA/Browser Forum verifier refuses the small key as well
        cert_verdicts.discard(("tls.certificate.untrusted", "fail"))
    assert cert_verdicts == expected


async def test_wrong_name(make_ctx: MakeCtx, ca: LocalCA) -> None:
    cert, key = ca.issue(["other.test", "*.other.test"])
    verdicts, deep = await _both(make_ctx, ServerSpec(cert, key), "tls-wrongname.test")
    assert {v for v in verdicts if v[0].startswith("tls.certificate.")} == {
        ("tls.certificate.hostname_mismatch", "fail")}  # trusted CA: the name is the only problem
    assert deep.cert_trusted is True and deep.hostname_matches is False


async def test_untrusted_with_another_ca(
    make_ctx: MakeCtx, ca: LocalCA, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = tmp_path_factory.mktemp("other-ca")
    from .tls_servers import make_ca

    other_ca = make_ca(other, name="another CA")
    cert, key = ca.issue(["stranger.test"])
    report = await _scan(make_ctx, ServerSpec(cert, key), "stranger.test", "sweep", ca_file=other_ca.pem_path)
    assert ("tls.certificate.untrusted", "fail") in _verdicts(report)


async def test_starttls_smtp(make_ctx: MakeCtx, ca: LocalCA) -> None:
    cert, key = ca.issue(["mail.smtp.test"])
    spec = ServerSpec(cert, key, starttls=True, min_version=TLS10)
    verdicts, deep = await _both(make_ctx, spec, "mail.smtp.test")
    assert ("tls.protocols.phase_out", "warn") in verdicts and ("tls.certificate.ok", "pass") in verdicts
    assert deep.starttls == "smtp"
    found = tls_findings("mail.starttls", deep, score_group="mail", subject="mail.smtp.test")
    assert all(f.check == "mail.starttls" and f.score_group == "mail" for f in found)


@pytest.mark.parametrize("behaviour", ["reset", "slow"])
@pytest.mark.parametrize("depth", ["deep", "sweep"])
async def test_hostile_servers_give_an_error_in_time(
    make_ctx: MakeCtx, ca: LocalCA, behaviour: str, depth: str
) -> None:
    cert, key = ca.issue(["hostile.test"])
    start = time.monotonic()
    report = await _scan(make_ctx, ServerSpec(cert, key, behaviour=behaviour), "hostile.test", depth, operation=1.5)
    assert time.monotonic() - start < 3
    assert report.error and report.error_kind in ("connect", "tls", "timeout")
    found = tls_findings("tls.protocols", report, score_group="tls", subject="hostile.test")
    assert [(f.key, f.status) for f in found] == [("tls.endpoint.error", Status.ERROR)]


async def test_connection_refused_and_unknown_name(make_ctx: MakeCtx) -> None:
    ctx = make_ctx("closed.test", {"closed.test": "127.0.0.1"}, depth="sweep")
    report = await tls_endpoint_report(ctx, "closed.test", 1)  # nothing listens on port 1
    assert report.error_kind == "refused"
    missing = await tls_endpoint_report(ctx, "nowhere.test", 443)
    assert missing.error_kind == "dns"


async def test_web_checks(make_ctx: MakeCtx, ca: LocalCA, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = ca.issue(["www.webcheck.test"])
    with running(ServerSpec(cert, key, min_version=TLS10)) as srv:
        monkeypatch.setattr(tls_web, "HTTPS_PORT", srv.port)
        # the bare domain has no address: the checks fall back to www
        ctx = make_ctx("webcheck.test", {"www.webcheck.test": "127.0.0.1"}, depth="deep")
        results: list[list[Finding]] = await asyncio.gather(
            check_protocols(ctx), check_ciphers(ctx), check_certificate(ctx))
    protocols, ciphers, certificate = results
    assert [f.key for f in protocols] == ["tls.protocols.phase_out"]
    assert protocols[0].check == "tls.protocols" and protocols[0].points < 0 and protocols[0].score_group == "tls"
    assert protocols[0].evidence["versions"] == ["TLSv1.0", "TLSv1.1"]
    assert [f.key for f in ciphers] == ["tls.ciphers.ok"]
    assert [f.key for f in certificate] == ["tls.certificate.ok"]
    ev = certificate[0].evidence
    assert ev["sans"] == ["www.webcheck.test"] and len(ev["sha256"]) == 64 and ev["not_after"]
    assert len(ctx.scan.counters) == 1  # one endpoint scan shared by the three checks


async def test_web_checks_silent_without_a_website(make_ctx: MakeCtx) -> None:
    ctx = make_ctx("mailonly.test", {}, depth="sweep")
    assert await check_protocols(ctx) == []


def test_every_key_has_an_outcome() -> None:
    assert all(k.startswith("tls.") for k in OUTCOMES)
