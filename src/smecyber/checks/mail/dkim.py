"""mail.dkim: DKIM public keys under common and user-named selectors (RFC 6376 s3.6.1, RFC 8301, RFC 8463).

DNS cannot list selectors, so "none found" is information, not a failure.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from functools import cache
from importlib import resources

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from ..context import DomainContext
from ..model import Area, Finding, Severity, Status
from ..registry import register
from .common import finding, parse_tag_list

CHECK = "mail.dkim"
RSA_MIN_BITS = 1024  # RFC 8301 s3.2: verifiers MUST NOT accept shorter keys
RSA_GOOD_BITS = 2048  # RFC 8301 SHOULD, and what NCSC and M3AAWG recommend


@cache
def common_selectors() -> tuple[str, ...]:
    data = yaml.safe_load(resources.files(__package__).joinpath("dkim_selectors.yaml").read_text("utf-8"))
    return tuple(str(s).lower() for s in data["selectors"])


def parse_key_record(text: str) -> tuple[dict[str, str], str | None]:
    """Tags of a key record and the first syntax problem, if any."""
    pairs, bad = parse_tag_list(text)
    if bad:
        return {}, f"not a tag=value pair: {bad[0]!r}"
    tags: dict[str, str] = {}
    for i, (tag, value) in enumerate(pairs):
        if tag in tags:
            return tags, f"tag {tag!r} appears twice"
        tags[tag] = "".join(value.split())  # base64 in p= may be folded with whitespace
        if tag == "v" and (i != 0 or value != "DKIM1"):
            return tags, "v=DKIM1 must be the first tag"
    if "p" not in tags:
        return tags, "the p= tag is missing"
    # RFC 6376 s3.6.1 h=: unrecognised algorithms are ignored; RFC 8301 s3.1: sha1 MUST NOT be used for
    # verifying, so a key restricted to sha1 (or to nothing known) cannot verify any signature
    if "h" in tags and "sha256" not in tags["h"].split(":"):
        return tags, "h= allows no usable hash algorithm (sha256; sha1 is forbidden by RFC 8301)"
    # RFC 6376 s3.6.1 s=: a key whose service types include neither "email" nor "*" is not for email
    if "s" in tags and not {"email", "*"} & set(tags["s"].split(":")):
        return tags, "s= does not include email or *, so the key is not for email"
    return tags, None


def key_facts(tags: dict[str, str]) -> dict[str, object]:
    """Key type and size; raises ValueError when p= is not a valid key of type k=."""
    k = tags.get("k", "rsa").lower()
    raw = base64.b64decode(tags["p"], validate=True)
    if k == "rsa":
        try:
            key = serialization.load_der_public_key(raw)
        except ValueError:
            # some signers publish the bare PKCS#1 RSAPublicKey instead of SubjectPublicKeyInfo
            key = serialization.load_der_public_key(_spki_from_pkcs1(raw))
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("k=rsa but p= holds another key type")
        return {"type": "rsa", "bits": key.key_size}
    if k == "ed25519":
        ed25519.Ed25519PublicKey.from_public_bytes(raw)  # RFC 8463: the raw 32-byte key
        return {"type": "ed25519", "bits": 256}
    raise ValueError(f"unknown key type k={k}")


def _spki_from_pkcs1(raw: bytes) -> bytes:
    # SEQUENCE { AlgorithmIdentifier rsaEncryption NULL, BIT STRING { raw } }
    alg = bytes.fromhex("300d06092a864886f70d0101010500")
    bitstring = b"\x03" + _der_len(len(raw) + 1) + b"\x00" + raw
    body = alg + bitstring
    return b"\x30" + _der_len(len(body)) + body


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


async def _probe(ctx: DomainContext, selector: str) -> tuple[str, list[str] | None, str | None]:
    ans = await ctx.dns.txt(f"{selector}._domainkey.{ctx.domain}")
    if ans.failed:
        return selector, None, f"{ans.rcode} {ans.error or ''}".strip()
    return selector, ans.records, None


@register(CHECK, area=Area.MAIL, sweep=True)
async def check_dkim(ctx: DomainContext) -> list[Finding]:
    """DKIM keys found under common selectors: valid, not revoked, RSA at least 2048 bits."""
    user = list(ctx.config.dkim_selectors)
    selectors = list(dict.fromkeys([*user, *common_selectors()]))
    # RFC 8020: NXDOMAIN for _domainkey means nothing exists below it, so probing common names is useless
    base = await ctx.dns.query(f"_domainkey.{ctx.domain}", "TXT")
    if base.nxdomain:
        selectors = user
    results = await asyncio.gather(*(_probe(ctx, s) for s in selectors))
    findings: list[Finding] = []
    failed: list[str] = []
    for selector, records, error in results:
        if records is None:
            failed.append(f"{selector}: {error}")
            continue
        records = [r for r in records if "p=" in r or r.startswith("v=DKIM1")]
        if not records:
            continue
        findings.extend(_judge(selector, records, ctx.domain))
    ev = {"selectors_tried": selectors, "user_selectors": user, "domainkey_nxdomain": base.nxdomain}
    if failed:
        findings.append(finding(CHECK, "lookup_failed", Status.ERROR, evidence={**ev, "errors": failed}))
    if not findings:
        findings.append(finding(CHECK, "none_found", Status.INFO, evidence=ev))
    return findings


def _judge(selector: str, records: list[str], domain: str) -> list[Finding]:
    name = f"{selector}._domainkey.{domain}"
    if len(records) > 1:
        return [finding(CHECK, "invalid_record", Status.FAIL, Severity.MEDIUM, -10,
                        {"name": name, "records": records, "problem": "more than one key record"}, selector)]
    tags, problem = parse_key_record(records[0])
    ev: dict[str, object] = {"name": name, "record": records[0]}
    if problem:
        return [finding(CHECK, "invalid_record", Status.FAIL, Severity.MEDIUM, -10, {**ev, "problem": problem},
                        selector)]
    if tags["p"] == "":
        return [finding(CHECK, "revoked", Status.INFO, evidence=ev, subject=selector)]
    try:
        facts = key_facts(tags)
    except (ValueError, binascii.Error) as exc:
        return [finding(CHECK, "invalid_record", Status.FAIL, Severity.MEDIUM, -10,
                        {**ev, "problem": f"unusable key: {exc}"}, selector)]
    ev.update(facts)
    out: list[Finding] = []
    bits = int(facts["bits"])  # type: ignore[call-overload]
    if facts["type"] == "rsa" and bits < RSA_MIN_BITS:
        out.append(finding(CHECK, "key_too_short", Status.FAIL, Severity.HIGH, -20, ev, selector))
    elif facts["type"] == "rsa" and bits < RSA_GOOD_BITS:
        out.append(finding(CHECK, "key_weak", Status.WARN, Severity.MEDIUM, -10, ev, selector))
    else:
        out.append(finding(CHECK, "ok", Status.PASS, evidence=ev, subject=selector))
    if "y" in tags.get("t", "").lower().split(":"):
        out.append(finding(CHECK, "testing", Status.INFO, evidence=ev, subject=selector))
    return out
