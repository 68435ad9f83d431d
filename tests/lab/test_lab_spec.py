"""The lab's domain files: every file loads, and invalid files are refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from smecyber.lab.spec import LabSpecError, load_domain_file, load_domains, parse_domain

HOSTILE = {"slow.test", "hugeheader.test", "redirectloop.test", "spf-loop.test", "dns-flood.test", "tls-reset.test"}


def test_every_domain_file_loads() -> None:
    specs = load_domains()
    names = {s.domain for s in specs}
    assert {"good.test", "insecure.test", "bogus.test"} | HOSTILE <= names
    for s in specs:
        assert s.purpose.strip(), f"{s.domain} needs a purpose"


def test_hostile_domains_are_marked() -> None:
    for s in load_domains():
        if s.domain in HOSTILE:
            assert s.hostile, f"{s.domain} must say hostile: true (it is left out of the sweep set)"


@pytest.mark.parametrize(("data", "message"), [
    ({"purpose": "x"}, "'domain' is required"),
    ({"domain": "a.example", "purpose": "x"}, "ending in .test"),
    ({"domain": "a.test", "purpose": "x", "dnssec": "maybe"}, "not one of secure"),
    ({"domain": "a.test", "purpose": "x", "web": {"cert": "bad"}}, "web.cert"),
    ({"domain": "a.test", "purpose": "x", "web": {"hedaers": {}}}, "unknown key(s) 'hedaers'"),
    ({"domain": "a.test", "purpose": "x", "web": {"tls_versions": ["SSLv3"]}}, "web.tls_versions"),
    ({"domain": "a.test", "purpose": "x", "records": ["@ A"]}, "OWNER TYPE RDATA"),
    ({"domain": "a.test", "purpose": "x", "expected": [{"check": "web.hsts"}]}, "'status' is required"),
    ({"domain": "a.test", "purpose": "x", "expected": [{"check": "web.hsts", "status": "ok"}]}, "not one of"),
    ({"domain": "a.test", "purpose": "x", "expected": [{"check": "web.hsts", "status": "fail", "kye": "x"}]},
     "unknown key(s) 'kye'"),
])
def test_invalid_spec_is_refused(data: dict, message: str) -> None:
    with pytest.raises(LabSpecError) as info:
        parse_domain(data)
    assert message in str(info.value)


def test_file_name_must_match_domain(tmp_path: Path) -> None:
    f = tmp_path / "other.test.yaml"
    f.write_text("domain: a.test\npurpose: x\n")
    with pytest.raises(LabSpecError, match=r"must be named a\.test\.yaml"):
        load_domain_file(f)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    f = tmp_path / "a.test.yaml"
    f.write_text("domain: [a.test\n")
    with pytest.raises(LabSpecError, match=r"a\.test\.yaml: not valid YAML"):
        load_domain_file(f)


def test_expected_status_may_be_a_list() -> None:
    spec = parse_domain({"domain": "a.test", "purpose": "x",
                         "expected": [{"check": "mail.spf", "status": ["fail", "error"]}]})
    assert spec.expected[0].status == ("fail", "error")
