"""The HTTP fetches the web checks share, made the way the MDN HTTP Observatory 1.4.8 makes them.

One session per scheme: GET ``http://domain/`` and ``https://domain/``, following up to 10 redirects by
hand and recording every hop; a certificate error anywhere restarts the session without verification
(and marks it unverified), any other error ends it without a response. web.https, web.redirect and web.hsts
read these sessions; web.headers adds the CORS preflight (and robots.txt when the session is unverified,
the only case in which its cookies reach the Observatory's jar). Everything is memoised per domain.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..context import DomainContext
from ..net import HttpResponse, describe_error
from .observatory.headers import fold_headers
from .observatory.model import ObsResponse, Retrieval

ACCEPT_PAGE = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_ROBOTS = "text/plain,*/*;q=0.8"
CORS_ORIGIN = "https://http-observatory.security.mozilla.org"
MAX_REDIRECTS = 10
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(slots=True)
class Session:
    start_url: str
    hops: list[HttpResponse] = field(default_factory=list)  # every response, redirects included
    verified: bool = True
    cert_error: str | None = None  # why verification failed, when the session was retried without it
    cert_error_url: str | None = None
    error: str | None = None  # set when no final response arrived
    error_kind: str | None = None
    error_url: str | None = None
    too_many_redirects: bool = False
    cookie_sources: list[tuple[str, str]] = field(default_factory=list)  # (Set-Cookie, request URL)

    @property
    def final(self) -> HttpResponse | None:
        return self.hops[-1] if self.hops and self.error is None else None

    @property
    def first(self) -> HttpResponse | None:
        return self.hops[0] if self.hops else None


def is_cert_error(exc: BaseException) -> bool:
    return describe_error(exc)[0].startswith("certificate not trusted")


def _collect_cookies(session: Session, resp: HttpResponse) -> None:
    session.cookie_sources.extend((v, resp.url) for v in resp.header_all("set-cookie"))


async def _run_session(ctx: DomainContext, url: str, verify: bool, cookies: list[tuple[str, str]]) -> Session:
    session = Session(url, verified=verify, cookie_sources=cookies)
    current = url
    for count in range(MAX_REDIRECTS + 1):
        try:
            resp = await ctx.http.request("GET", current, headers={"Accept": ACCEPT_PAGE}, verify=verify)
        except Exception as exc:  # every failure becomes evidence
            if verify and is_cert_error(exc):
                retry = await _run_session(ctx, url, False, session.cookie_sources)
                retry.cert_error, retry.cert_error_url = describe_error(exc)[0], current
                return retry
            session.error, session.error_kind = describe_error(exc)
            session.error_url = current
            return session
        session.hops.append(resp)
        _collect_cookies(session, resp)
        if resp.status not in REDIRECT_STATUSES:
            return session
        if count == MAX_REDIRECTS:
            session.too_many_redirects = True  # the Observatory stops here and grades this response
            return session
        # a redirect without Location makes the Observatory request "<base>/undefined"; so do we
        current = urljoin(current, resp.header("location") if resp.header("location") is not None else "undefined")
    return session


async def session(ctx: DomainContext, scheme: str) -> Session:
    """The shared ``scheme://domain/`` session of this domain."""
    url = f"{scheme}://{ctx.domain}/"
    return await ctx.memo(("web.session", scheme), lambda: _run_session(ctx, url, True, []))


def to_obs(resp: HttpResponse, verified: bool) -> ObsResponse:
    return ObsResponse(resp.url, resp.status, fold_headers(resp.headers), resp.text, verified)


async def _follow(ctx: DomainContext, method: str, url: str, headers: dict[str, str], verify: bool,
                  cookies: list[tuple[str, str]] | None) -> HttpResponse | None:
    """A request whose redirects are followed the way axios' follow-redirects does (max 10)."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            resp = await ctx.http.request(method, current, headers=headers, verify=verify, max_body=64 * 1024)
        except Exception:
            return None  # the Observatory ignores a failed extra request
        if cookies is not None and current.startswith("https:"):
            cookies.extend((v, current) for v in resp.header_all("set-cookie"))
        location = resp.header("location")
        if resp.status not in REDIRECT_STATUSES or location is None:
            return resp
        if resp.status == 303 and method != "HEAD":
            method = "GET"
        current = urljoin(current, location)
    return None  # too many redirects: axios raises, the Observatory records nothing


async def _retrieve(ctx: DomainContext) -> Retrieval:
    http_s, https_s = await asyncio.gather(session(ctx, "http"), session(ctx, "https"))
    r = Retrieval(hostname=ctx.domain)
    if http_s.final is not None:
        r.http = to_obs(http_s.final, http_s.verified)
        r.http_route = [(h.url, h.status) for h in http_s.hops]
    if https_s.final is not None:
        r.https = to_obs(https_s.final, https_s.verified)
    auto_s = https_s if https_s.final is not None else http_s
    if auto_s.final is None:
        return r
    r.auto = to_obs(auto_s.final, auto_s.verified)
    r.session_url = auto_s.start_url
    cookies = list(auto_s.cookie_sources)
    cors_url = auto_s.final.url
    if not auto_s.verified:
        # After its retry the Observatory's extra requests carry the jar and are recorded as hops:
        # robots.txt cookies count, and the CORS preflight goes to the robots.txt URL.
        robots_url = urljoin(auto_s.start_url, "/robots.txt")
        robots = await _follow(ctx, "GET", robots_url, {"Accept": ACCEPT_ROBOTS}, False, cookies)
        if robots is not None:
            cors_url = robots_url
    preflight = await _follow(ctx, "OPTIONS", cors_url, {
        "Accept": ACCEPT_PAGE, "Access-Control-Request-Method": "GET", "Origin": CORS_ORIGIN,
    }, auto_s.verified, cookies if not auto_s.verified else None)
    if preflight is not None:
        r.cors = to_obs(preflight, auto_s.verified)
    r.cookie_sources = cookies
    return r


async def observatory_retrieval(ctx: DomainContext) -> Retrieval:
    return await ctx.memo("web.observatory_retrieval", lambda: _retrieve(ctx))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
