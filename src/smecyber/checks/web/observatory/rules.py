"""The Observatory's header tests other than CSP and cookies, each a function of a :class:`Retrieval`."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from .headers import all_values, first_value
from .html import HTML_TYPES, PageFacts, mime_type
from .model import Retrieval

SIX_MONTHS = 15552000  # the Observatory's "white lie" for six months
Verdict = tuple[str, dict[str, Any]]


def js_parse_int(s: str) -> int | None:
    """JavaScript parseInt(s, 10); ``None`` stands for NaN."""
    m = re.match(r"\s*([+-]?\d+)", s)
    return int(m.group(1)) if m else None


def hsts_preloaded(preloaded: dict[str, dict[str, Any]], hostname: str) -> dict[str, Any] | None:
    entry = preloaded.get(hostname)
    if entry and entry.get("mode") == "force-https":
        return entry
    parts = hostname.split(".")[1:]
    while parts:
        entry = preloaded.get(".".join(parts))
        if entry and entry.get("mode") == "force-https" and entry.get("includeSubDomains"):
            return entry
        parts = parts[1:]
    return None


def strict_transport_security(r: Retrieval) -> Verdict:
    result = "hsts-not-implemented"
    data: dict[str, Any] = {}
    resp = r.https
    if resp is None:
        result = "hsts-not-implemented-no-https"
    elif not resp.verified:
        result = "hsts-invalid-cert"
    elif all_values(resp.headers, "strict-transport-security"):
        header = all_values(resp.headers, "strict-transport-security")[0][:1024]
        data["header"] = header
        max_age: int | None = None
        has_max_age = False
        valid = "," not in header  # a comma means the header was sent twice
        for param in (p.strip().lower() for p in header.split(";")):
            if param.startswith("max-age="):
                has_max_age = True
                max_age = js_parse_int(param[8:128])
            elif param == "includesubdomains":
                data["includeSubDomains"] = True
            elif param == "preload":
                data["preload"] = True
        if not valid or not has_max_age:
            result = "hsts-header-invalid"
        else:
            data["max_age"] = max_age
            # NaN compares false in JavaScript, so an unparsable max-age counts as long enough
            short = max_age is not None and max_age < SIX_MONTHS
            result = ("hsts-implemented-max-age-less-than-six-months" if short
                      else "hsts-implemented-max-age-at-least-six-months")
    if resp is not None and hsts_preloaded(r.preloaded, r.hostname):
        result = "hsts-preloaded"
    return result, data


def hsts_passes(result: str) -> bool:
    return result in ("hsts-implemented-max-age-at-least-six-months", "hsts-preloaded")


def redirection(r: Retrieval) -> Verdict:
    resp = r.http
    route = r.http_route
    data: dict[str, Any] = {"route": [u for u, _ in route][:20]}
    if resp is None:
        return "redirection-not-needed-no-http", data
    data["status"] = resp.status
    if not resp.verified:
        return "redirection-invalid-cert", data
    parsed = [urlsplit(u) for u, _ in route]
    if all(hsts_preloaded(r.preloaded, p.hostname or "") for p in parsed):
        return "redirection-all-redirects-preloaded", data
    if len(route) == 1:
        return "redirection-missing", data
    if parsed[-1].scheme != "https":
        return "redirection-not-to-https", data
    if parsed[1].scheme == "http":
        return "redirection-not-to-https-on-initial-redirection", data
    if parsed[0].scheme == "http" and parsed[1].scheme == "https" and parsed[0].hostname != parsed[1].hostname:
        return "redirection-off-host-from-http", data
    return "redirection-to-https", data


GOOD_REFERRERS = ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
BAD_REFERRERS = ("origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade")


def referrer_policy(r: Retrieval, page: PageFacts) -> Verdict:
    if r.auto is None:
        return "referrer-policy-not-implemented", {}
    values = [*all_values(r.auto.headers, "referrer-policy"), *page.referrer_meta]
    if not values:
        return "referrer-policy-not-implemented", {}
    data = ", ".join(values)
    valid = [t.lower().strip() for t in data.split(",") if t.lower().strip() in GOOD_REFERRERS + BAD_REFERRERS]
    policy = valid[-1] if valid else ""
    if policy in GOOD_REFERRERS:
        return "referrer-policy-private", {"value": data}
    if policy in BAD_REFERRERS:
        return "referrer-policy-unsafe", {"value": data}
    return "referrer-policy-header-invalid", {"value": data}


def x_content_type_options(r: Retrieval) -> Verdict:
    header = first_value(r.auto.headers, "x-content-type-options") if r.auto else None
    if not header:
        return "x-content-type-options-not-implemented", {}
    value = header[:256]
    if value.strip().lower() == "nosniff":
        return "x-content-type-options-nosniff", {"value": value}
    return "x-content-type-options-header-invalid", {"value": value}


def x_frame_options(r: Retrieval, csp_data: dict[str, list[str]] | None) -> Verdict:
    if r.auto is None:
        return "x-frame-options-not-implemented", {}
    header = first_value(r.auto.headers, "x-frame-options")
    data: dict[str, Any] = {}
    if header:
        data["value"] = header[:1024]
        xfo = data["value"].strip().lower()
        if xfo in ("deny", "sameorigin"):
            result = "x-frame-options-sameorigin-or-deny"
        elif xfo.startswith("allow-from"):
            result = "x-frame-options-allow-from-origin"
        else:
            result = "x-frame-options-header-invalid"
    else:
        result = "x-frame-options-not-implemented"
    if csp_data and "frame-ancestors" in csp_data:
        result = "x-frame-options-implemented-via-csp"
        data["frame-ancestors"] = csp_data["frame-ancestors"]
    return result, data


def cors(r: Retrieval) -> Verdict:
    acao = first_value(r.cors.headers, "access-control-allow-origin") if r.cors else None
    if not acao:
        return "cross-origin-resource-sharing-not-implemented", {}
    value = acao[:256].strip().lower()
    if value == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access", {"acao": value}
    # The Observatory compares the Origin it sent with the ACAO, but reads the Origin from an object that
    # has no headers in 1.4.8, so "universal access" (-50) is never reached; we follow the release.
    return "cross-origin-resource-sharing-implemented-with-restricted-access", {"acao": value}


def cross_origin_resource_policy(r: Retrieval) -> Verdict:
    header = first_value(r.auto.headers, "cross-origin-resource-policy") if r.auto else None
    if not header:
        return "corp-not-implemented", {}
    value = header[:256].strip().lower()
    if not value:
        return "corp-not-implemented", {}
    results = {"same-site": "corp-implemented-with-same-site", "same-origin": "corp-implemented-with-same-origin",
               "cross-origin": "corp-implemented-with-cross-origin"}
    return results.get(value, "corp-header-invalid"), {"value": value}


def is_html(r: Retrieval) -> bool:
    return r.auto is not None and mime_type(first_value(r.auto.headers, "content-type")) in HTML_TYPES
