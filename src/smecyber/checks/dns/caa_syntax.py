"""Syntax rules for CAA records (RFC 8659, RFC 9495 for issuemail), kept apart from the DNS lookups."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

CRITICAL_FLAG = 128
# Tags a CA may act on. issuevmc is BIMI's (VMC certificates), contactemail/-phone the CA/B Forum's.
ISSUER_TAGS = frozenset({"issue", "issuewild", "issuemail", "issuevmc"})
KNOWN_TAGS = ISSUER_TAGS | {"iodef", "contactemail", "contactphone"}

_LABEL = r"[A-Za-z0-9](?:-*[A-Za-z0-9])*"
_ISSUER = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_PARAMETER = re.compile(rf"^(?P<tag>{_LABEL})[ \t]*=[ \t]*(?P<value>[\x21-\x3a\x3c-\x7e]*)$")
_TAG = re.compile(r"^[A-Za-z0-9]+$")  # RFC 8659 s4.1: ASCII letters and digits, at least one
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def record_problems(flags: int, tag: str, value: str) -> list[str]:
    """What is wrong with one CAA record, in words a user can act on; empty when it is valid."""
    problems: list[str] = []
    if flags not in (0, CRITICAL_FLAG):
        problems.append(f"flags {flags}: only 0 and 128 (critical) are defined")
    if not _TAG.fullmatch(tag):
        problems.append(f"tag {tag!r}: only letters and digits are allowed")
    tag = tag.lower()  # RFC 8659 s4.1: tags match case-insensitively
    if tag in ISSUER_TAGS:
        problems.extend(issuer_value_problems(value))
    elif tag == "iodef":
        problem = iodef_problem(value)
        if problem:
            problems.append(problem)
    elif tag == "contactemail" and not _EMAIL.fullmatch(value.strip()):
        problems.append(f"contactemail {value!r} is not an e-mail address")
    elif tag == "contactphone" and not value.strip():
        problems.append("contactphone is empty")
    return problems


def issuer_value_problems(value: str) -> list[str]:
    """RFC 8659 s4.2: ``[issuer-domain-name] [";" parameters]``; an empty issuer means 'no CA'."""
    issuer, _, params = value.partition(";")
    issuer = issuer.strip(" \t")
    problems: list[str] = []
    if issuer:
        if "://" in issuer or "/" in issuer:
            problems.append(f"issuer {issuer!r} must be the CA's domain name, not a URL")
        elif not _ISSUER.fullmatch(issuer):  # fullmatch: '$' would let a trailing newline through
            # a single label is grammatical (issuer-domain-name = label *("." label)), so it is not flagged
            problems.append(f"issuer {issuer!r} is not a valid domain name")
    # RFC 8659 s4.2: [";" *WSP [parameters *WSP]], parameters = parameter *(*WSP ";" *WSP parameter): after the
    # first ';' the parameters may be absent, but between and after parameters there is no empty piece.
    if params.strip(" \t"):
        for param in (p.strip(" \t") for p in params.split(";")):
            if not param:
                problems.append("empty parameter: ';' must separate name=value pairs, with none after the last")
            elif not _PARAMETER.fullmatch(param):
                problems.append(f"parameter {param!r} is not of the form name=value")
    return problems


def iodef_problem(value: str) -> str | None:
    """RFC 8659 s4.4: where CAs report refused requests: a mailto:, http: or https: URL."""
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return None if _EMAIL.fullmatch(parts.path) else f"iodef {url!r} has no valid e-mail address"
    if parts.scheme in ("http", "https"):
        return None if parts.hostname else f"iodef {url!r} has no host name"
    return f"iodef {url!r} must be a mailto: or https: URL"
