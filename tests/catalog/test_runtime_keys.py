"""Run every registered check against scripted DNS (no server is ever contacted: every name resolves to
an address the scanner refuses) and require each emitted key to be in the catalog. This covers keys that
are built from variables and so escape the static collection in test_keys.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smecyber.checks.config import ScanConfig
from smecyber.checks.engine import scan

from ..checks.dns.fake_dns import FakeDns
from .conftest import raw_catalog_keys

SCENARIOS = {
    # nothing but an address: most checks report something "missing"
    "bare.test": {("bare.test", "A"): ["10.0.0.1"]},
    # mail set-up with weak policies, unreachable servers, CAA and NS
    "mailish.test": {
        ("mailish.test", "A"): ["10.0.0.2"],
        ("mailish.test", "MX"): ["10 mx.mailish.test."],
        ("mx.mailish.test", "A"): ["192.168.0.25"],
        ("mailish.test", "TXT"): ['"v=spf1 +all"'],
        ("_dmarc.mailish.test", "TXT"): ['"v=DMARC1; p=none"'],
        ("_mta-sts.mailish.test", "TXT"): ['"v=STSv1; id=1"'],
        ("_smtp._tls.mailish.test", "TXT"): ['"v=TLSRPTv1; rua=mailto:tls@mailish.test"'],
        ("mailish.test", "CAA"): ['128 bogus "x"'],
        ("mailish.test", "NS"): ["ns1.mailish.test."],
        ("ns1.mailish.test", "A"): ["10.0.0.53"],
    },
}


@pytest.fixture
def fake_dns() -> Iterator[FakeDns]:
    with FakeDns() as server:
        yield server


@pytest.mark.parametrize("domain", sorted(SCENARIOS))
async def test_keys_emitted_at_run_time_are_in_the_catalog(domain: str, fake_dns: FakeDns) -> None:
    fake_dns.records.update({k: list(v) for k, v in SCENARIOS[domain].items()})
    config = ScanConfig.build([domain], nameservers=[fake_dns.nameserver], allow_loopback=False, timeout=1,
                              total_timeout=30)
    [result], _ = await scan(config)
    emitted = {f.key for f in result.findings}
    assert emitted, "the scan produced no findings at all"
    missing = sorted(emitted - raw_catalog_keys())
    assert not missing, f"{domain}: keys emitted at run time but not in the catalog: {missing}"
