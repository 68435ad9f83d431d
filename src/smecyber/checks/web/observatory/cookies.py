"""A cookie jar that stores what tough-cookie 5 (the Observatory's jar) would store, and the cookie test.

Only the facts the grade depends on are modelled: which cookies end up in the jar (name, domain, path;
a later cookie replaces an earlier one), and their Secure, HttpOnly and SameSite attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
COOKIES_TO_IGNORE = frozenset({"heroku-session-affinity"})


@dataclass(slots=True)
class StoredCookie:
    key: str
    domain: str
    path: str
    secure: bool = False
    http_only: bool = False
    same_site: str | None = None  # strict | lax | none | None (absent or unrecognised)


def _trim_terminator(s: str) -> str:
    for t in ("\n", "\r", "\0"):
        i = s.find(t)
        if i != -1:
            s = s[:i]
    return s


def parse_set_cookie(raw: str) -> StoredCookie | None:
    """Parse like tough-cookie in strict mode; ``None`` when it would reject the cookie."""
    s = raw.strip()
    if not s:
        return None
    semi = s.find(";")
    pair = _trim_terminator(s if semi == -1 else s[:semi])
    eq = pair.find("=")
    if eq <= 0:
        return None  # strict mode needs a non-empty name
    name, value = pair[:eq].strip(), pair[eq + 1:].strip()
    if _CONTROL.search(name) or _CONTROL.search(value):
        return None
    cookie = StoredCookie(key=name, domain="", path="")
    domain_attr: str | None = None
    path_attr: str | None = None
    if semi != -1:
        for av in s[semi + 1:].strip().split(";"):
            av = av.strip()
            if not av:
                continue
            sep = av.find("=")
            k = (av if sep == -1 else av[:sep]).strip().lower()
            v = None if sep == -1 else av[sep + 1:].strip()
            if k == "domain" and v:
                d = v.strip()
                d = d[1:] if d.startswith(".") else d
                if d:
                    domain_attr = d.lower()
            elif k == "path":
                path_attr = v if v and v[0] == "/" else None
            elif k == "secure":
                cookie.secure = True
            elif k == "httponly":
                cookie.http_only = True
            elif k == "samesite":
                low = (v or "").lower()
                cookie.same_site = low if low in ("strict", "lax", "none") else None
    cookie.domain = domain_attr or ""
    cookie.path = path_attr or ""
    return cookie


def _domain_match(host: str, domain: str) -> bool:
    return host == domain or (host.endswith("." + domain) and not _is_ip(host))


def _is_ip(host: str) -> bool:
    return bool(re.fullmatch(r"[0-9.]+", host)) or ":" in host


def _default_path(path: str) -> str:
    if not path or not path.startswith("/"):
        return "/"
    i = path.rfind("/")
    return "/" if i == 0 else path[:i]


class CookieJar:
    def __init__(self) -> None:
        self._cookies: dict[tuple[str, str, str], StoredCookie] = {}

    def set_cookie(self, raw: str, request_url: str) -> None:
        cookie = parse_set_cookie(raw)
        if cookie is None:
            return
        parts = urlsplit(request_url)
        host = (parts.hostname or "").lower().rstrip(".")
        host_only = not cookie.domain
        if cookie.domain:
            if "." not in cookie.domain.strip("."):
                return  # a public suffix such as "test" or "com"
            if not _domain_match(host, cookie.domain):
                return
        else:
            cookie.domain = host
        if not cookie.path:
            cookie.path = _default_path(parts.path)
        if cookie.key.startswith("__Secure-") and not cookie.secure:
            return  # prefix rules: tough-cookie drops these silently
        if cookie.key.startswith("__Host-") and not (cookie.secure and host_only and cookie.path == "/"):
            return
        self._cookies[(cookie.domain, cookie.path, cookie.key)] = cookie

    def cookies(self) -> list[StoredCookie]:
        return [c for c in self._cookies.values() if c.key and c.key not in COOKIES_TO_IGNORE]


# worst last, as the Observatory orders them
_GOODNESS = (
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
)


def _worse(new: str, old: str | None) -> str:
    if old is None:
        return new
    rank = {r: i for i, r in enumerate(_GOODNESS)}
    return new if rank.get(new, -1) > rank.get(old, -1) else old


def _invalid_same_site(raw: str) -> bool:
    for part in raw.strip().split(";"):
        kv = part.strip().split("=")
        if kv[0].strip().lower() == "samesite":
            value = kv[1] if len(kv) > 1 else ""
            if not value or value.strip().lower() not in ("lax", "strict", "none"):
                return True
    return False


def grade_cookies(raw_final: list[str], jar: list[StoredCookie], hsts_passed: bool) -> tuple[str, dict[str, object]]:
    result: str | None = None
    for raw in raw_final:
        if _invalid_same_site(raw):
            result = _worse("cookies-samesite-flag-invalid", result)
    if not jar:
        return "cookies-not-found", {}
    missing_same_site = False
    for c in jar:
        name = c.key.lower()
        session = "login" in name or "sess" in name
        anticsrf = "csrf" in name
        if not c.secure and c.same_site == "none":
            result = _worse("cookies-samesite-flag-invalid", result)
        if not c.secure:
            result = _worse(
                "cookies-without-secure-flag-but-protected-by-hsts" if hsts_passed else "cookies-without-secure-flag",
                result)
        if anticsrf and not c.same_site:
            result = _worse("cookies-anticsrf-without-samesite-flag", result)
        if session and not c.secure:
            result = _worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts" if hsts_passed
                else "cookies-session-without-secure-flag", result)
        if session and not c.http_only:
            result = _worse("cookies-session-without-httponly-flag", result)
        if not c.same_site:
            missing_same_site = True
    if result is None:
        result = ("cookies-secure-with-httponly-sessions" if missing_same_site
                  else "cookies-secure-with-httponly-sessions-and-samesite")
    data = {c.key: {"domain": c.domain, "path": c.path, "secure": c.secure, "httponly": c.http_only,
                    "samesite": c.same_site} for c in jar}
    return result, data
