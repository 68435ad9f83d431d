"""ScanConfig.build: every bad input is refused with ScanInputError and a message a user can act on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from smecyber.checks.config import Depth, ScanConfig
from smecyber.checks.errors import ScanInputError
from smecyber.checks.model import Area

NS = ["127.0.0.1:5353"]


def build(**kwargs: Any) -> ScanConfig:
    domains = kwargs.pop("domains", ["example.com"])
    kwargs.setdefault("nameservers", NS)
    return ScanConfig.build(domains, **kwargs)


def refused(message: str, **kwargs: Any) -> None:
    with pytest.raises(ScanInputError) as exc:
        build(**kwargs)
    assert message in str(exc.value), str(exc.value)


def test_valid_input() -> None:
    config = build(domains=["Example.com.", "example.com", "bücher.example"], areas="web, DNS",
                   concurrency=5, timeout=4)
    assert config.domains == ("example.com", "xn--bcher-kva.example")
    assert config.areas == frozenset({Area.WEB, Area.DNS})
    assert config.depth is Depth.SWEEP  # more than one domain
    assert config.timeouts.operation == 4 and config.timeouts.dns == 3


def test_nameserver_forms() -> None:
    config = build(nameservers=["127.0.0.1", "127.0.0.1:5354", "[::1]:53", "::1"])
    assert [str(n) for n in config.nameservers] == ["127.0.0.1:53", "127.0.0.1:5354", "[::1]:53", "[::1]:53"]
    # one string is one nameserver (or a comma-separated list), not a sequence of characters
    assert [str(n) for n in build(nameservers="127.0.0.1:5354").nameservers] == ["127.0.0.1:5354"]


@pytest.mark.parametrize(("spec", "message"), [
    ("dns.example.com", "give an IP address"),
    ("localhost:53", "give an IP address"),
    ("127.0.0.1:0", "port must be 1-65535"),
    ("127.0.0.1:65536", "port must be 1-65535"),
    ("127.0.0.1:", "port must be 1-65535"),
    ("127.0.0.1:dns", "port must be 1-65535"),
    ("127.0.0.1:+53", "port must be 1-65535"),
    ("[::1", "missing ']'"),
    ("[::1]53", "invalid nameserver"),
    ("[::1]:x", "port must be 1-65535"),
    (" ", "give an IP address"),
    ("127.1", "give an IP address"),
])
def test_bad_nameserver(spec: str, message: str) -> None:
    refused(message, nameservers=[spec])
    refused(spec.strip() or "invalid nameserver", nameservers=[spec])  # the message names the bad input


def test_missing_ca_file(tmp_path: Path) -> None:
    refused("does not exist or is not a file", ca_file=tmp_path / "nope.pem")


def test_ca_file_that_is_a_directory(tmp_path: Path) -> None:
    refused("does not exist or is not a file", ca_file=tmp_path)


def test_ca_file_that_is_not_pem(tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("this is not a certificate\n")
    refused("no usable PEM certificate", ca_file=bad)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_ca_file(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    ca.chmod(0)
    refused("cannot read CA file", ca_file=ca)


@pytest.mark.parametrize(("areas", "message"), [
    ("web,foo", "unknown area 'foo'; choose from web, mail, dns"),
    ("tls", "unknown area 'tls'"),
    ("", "no area selected"),
    (" , ", "no area selected"),
    ([], "no area selected"),
    (["web", None], "areas must be"),
    (5, "areas must be"),
])
def test_bad_areas(areas: Any, message: str) -> None:
    refused(message, areas=areas)


@pytest.mark.parametrize("depth", ["shallow", "DEEP ", 5, ""])
def test_bad_depth(depth: Any) -> None:
    refused("depth must be 'deep' or 'sweep'", depth=depth)


@pytest.mark.parametrize("concurrency", [0, -1, 1001, "10", 2.5, True, None])
def test_bad_concurrency(concurrency: Any) -> None:
    refused("concurrency must be a whole number between 1 and 1000", concurrency=concurrency)


@pytest.mark.parametrize("timeout", [0, -1, 601, float("nan"), float("inf"), "5", True])
def test_bad_timeout(timeout: Any) -> None:
    refused("timeout must be between 0 and 600 seconds", timeout=timeout)


@pytest.mark.parametrize("total", [0, 3601, float("nan"), "60"])
def test_bad_total_timeout(total: Any) -> None:
    refused("total timeout must be between 0 and 3600 seconds", total_timeout=total)


def test_no_domain() -> None:
    refused("no domain given", domains=[])


def test_bad_domain_names_the_input() -> None:
    refused("invalid domain name '127.1'", domains=["example.com", "127.1"])


def test_bad_dkim_selector() -> None:
    refused("invalid DKIM selector 'a b'", dkim_selectors=["a b"])


def test_timeouts_combine() -> None:
    config = build(timeout=10, total_timeout=5)
    assert config.timeouts.operation == 5 and config.timeouts.total == 5
