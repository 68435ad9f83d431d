"""The lab's DNS: validating resolver, DNSSEC variants, DKIM/TLSA data, hostile answers, no leaks."""

from __future__ import annotations

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

from smecyber.lab.lab import Lab


def ask(lab: Lab, name: str, rdtype: str, *, cd: bool = False) -> dns.message.Message:
    host, port = lab.nameserver.rsplit(":", 1)
    query = dns.message.make_query(name, rdtype, want_dnssec=True)
    if cd:
        query.flags |= dns.flags.CD
    return dns.query.udp_with_fallback(query, host, port=int(port), timeout=5)[0]


def test_secure_zone_is_authenticated(lab: Lab) -> None:
    r = ask(lab, "good.test", "A")
    assert r.rcode() == dns.rcode.NOERROR
    assert r.flags & dns.flags.AD
    assert r.answer[0][0].to_text() == lab.address_of("good.test")


def test_bogus_zone_fails_validation(lab: Lab) -> None:
    assert ask(lab, "bogus.test", "TXT").rcode() == dns.rcode.SERVFAIL
    unchecked = ask(lab, "bogus.test", "TXT", cd=True)
    assert unchecked.rcode() == dns.rcode.NOERROR
    assert unchecked.answer


def test_insecure_zone_has_no_ad(lab: Lab) -> None:
    r = ask(lab, "insecure.test", "TXT")
    assert r.rcode() == dns.rcode.NOERROR
    assert not r.flags & dns.flags.AD
    assert r.answer


def test_names_outside_the_lab_do_not_exist(lab: Lab) -> None:
    # answered locally: unbound has no root hints to follow, nothing leaves loopback
    assert ask(lab, "example.com", "A").rcode() == dns.rcode.NXDOMAIN
    assert ask(lab, "192.0.2.25", "A").rcode() == dns.rcode.NXDOMAIN


def test_nameservers_resolve(lab: Lab) -> None:
    ns = ask(lab, "good.test", "NS")
    targets = sorted(r.target.to_text() for r in ns.answer[0])
    assert targets == ["ns1.lab.test.", "ns2.lab.test."]
    for t in targets:
        assert ask(lab, t, "A").answer


def test_dkim_and_tlsa_are_published(lab: Lab) -> None:
    dkim = ask(lab, "selector1._domainkey.good.test", "TXT")
    text = b"".join(dkim.answer[0][0].strings).decode()
    assert text.startswith("v=DKIM1; k=rsa; p=MII")
    tlsa = ask(lab, "_25._tcp.mail.good.test", "TLSA")
    assert tlsa.flags & dns.flags.AD
    assert tlsa.answer[0][0].to_text().startswith("3 1 1 ")


def test_flood_answer_has_500_records(lab: Lab) -> None:
    for rdtype in ("A", "TXT", "MX"):
        r = ask(lab, "dns-flood.test", rdtype)
        rrset = next(a for a in r.answer if a.rdtype == dns.rdatatype.from_text(rdtype))
        assert len(rrset) == 500


def test_spf_loop_is_served(lab: Lab) -> None:
    r = ask(lab, "b.spf-loop.test", "TXT")
    assert b"include:spf-loop.test" in b"".join(r.answer[0][0].strings)
