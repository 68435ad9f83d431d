"""The Observatory's subresource-integrity test: are scripts from other sites pinned with integrity=?"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from .html import PageFacts
from .model import Retrieval

_RELATIVE_PROTOCOL = re.compile(r"^(//)[^/]")
_FULL_URL = re.compile(r"^https?://")
_GOODNESS = (
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-implemented-but-external-scripts-not-loaded-securely",
    "sri-not-implemented-but-external-scripts-loaded-securely",
    "sri-not-implemented-and-external-scripts-not-loaded-securely",
    "sri-not-implemented-response-not-html",
)


@lru_cache(maxsize=1)
def _psl() -> Any:
    try:
        from publicsuffixlist import PublicSuffixList
    except ImportError:  # pragma: no cover - optional; falls back to the last two labels
        return None
    return PublicSuffixList(only_icann=True)


def registrable_domain(host: str | None) -> str | None:
    """The registrable domain (eTLD+1) of ``host``, like tldts' ``parse(x).domain``."""
    if not host:
        return None
    host = host.lower().rstrip(".")
    if re.fullmatch(r"[0-9.]+", host) or ":" in host:
        return None
    psl = _psl()
    if psl is not None:
        return psl.privatesuffix(host)
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else None


def _worse(new: str, old: str | None) -> str:
    if old is None:
        return new
    return new if _GOODNESS.index(new) > _GOODNESS.index(old) else old


def subresource_integrity(r: Retrieval, page: PageFacts, html: bool) -> tuple[str, dict[str, Any]]:
    if r.auto is None:
        return "sri-not-implemented-but-no-scripts-loaded", {}
    if not html:
        return "sri-not-implemented-response-not-html", {}
    result: str | None = None
    foreign = False
    data: dict[str, Any] = {}
    own_domain = registrable_domain(r.hostname)
    session_https = (r.session_url or "").startswith("https:")
    for script in page.scripts:
        src = script.src
        if not src:
            continue
        integrity = script.integrity or None
        relative_origin = relative_protocol = same_domain = False
        if _RELATIVE_PROTOCOL.match(src):
            relative_protocol = same_domain = True
        elif _FULL_URL.match(src):
            same_domain = registrable_domain(urlsplit(src).hostname) == own_domain
        else:
            relative_origin = same_domain = True
        secure_origin = relative_origin or (same_domain and not relative_protocol)
        if not secure_origin:
            foreign = True
        scheme = urlsplit(src).scheme if not relative_protocol and not relative_origin else None
        secure_scheme = scheme == "https" or (relative_origin and session_https)
        if not secure_origin:
            data[src[:200]] = {"integrity": integrity}
            if integrity and not secure_scheme:
                result = _worse("sri-implemented-but-external-scripts-not-loaded-securely", result)
            elif not integrity and secure_scheme:
                result = _worse("sri-not-implemented-but-external-scripts-loaded-securely", result)
            elif not integrity and not secure_scheme:
                result = _worse("sri-not-implemented-and-external-scripts-not-loaded-securely", result)
        elif integrity and secure_scheme and result is None:
            result = "sri-implemented-and-all-scripts-loaded-securely"
    if page.script_count == 0:
        return "sri-not-implemented-but-no-scripts-loaded", {}
    if result is None:
        result = ("sri-implemented-and-external-scripts-loaded-securely" if foreign
                  else "sri-not-implemented-but-all-scripts-loaded-from-secure-origin")
    return result, {"scripts": data} if data else {}
