"""The platform's own HTTP security, as served in production (SMECYBER_HTTPS=true behind a TLS proxy).

The production settings are the real settings module loaded again with SMECYBER_HTTPS=true; what it changes
compared with SMECYBER_HTTPS=false is applied on top of the test settings. Real responses of the app (the
http:// redirect, the start page, the login page and a login, a signed-in page) are checked header by header,
then graded by our port of the MDN HTTP Observatory, which must give A+. Finally every HTML page of the
platform is checked for inline scripts, inline styles and event-handler attributes, which the CSP would block.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from html.parser import HTMLParser
from http.cookies import Morsel
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from smecyber.checks.scoring import letter_for
from smecyber.checks.web.observatory.analyzer import analyze, score
from smecyber.checks.web.observatory.headers import fold_headers
from smecyber.checks.web.observatory.model import ObsResponse, Retrieval
from tests.web.test_access_matrix import API_NAMESPACE, NAMED, rule_for, url_of
from tests.web.world import World

HOST = "platform.smecyber.test"
TWO_YEARS = 63072000
PASSWORD = "correct horse battery staple 42"


def settings_module(https: bool) -> dict[str, Any]:
    """The settings module's values with SMECYBER_HTTPS set, without touching the running settings."""
    saved = os.environ.get("SMECYBER_HTTPS")
    os.environ["SMECYBER_HTTPS"] = "true" if https else "false"
    try:
        spec = importlib.util.find_spec("smecyber.web.settings")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del os.environ["SMECYBER_HTTPS"]
        else:
            os.environ["SMECYBER_HTTPS"] = saved
    return {name: getattr(module, name) for name in dir(module) if name.isupper()}


def production_overrides() -> dict[str, Any]:
    """Exactly what SMECYBER_HTTPS=true changes in the settings."""
    plain, production = settings_module(False), settings_module(True)
    return {name: value for name, value in production.items() if plain.get(name, object()) != value}


@pytest.fixture
def production(settings: Any) -> dict[str, Any]:
    overrides = production_overrides()
    assert overrides["SECURE_HSTS_SECONDS"] == TWO_YEARS
    assert overrides["SECURE_SSL_REDIRECT"] is True
    for name, value in overrides.items():
        setattr(settings, name, value)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    return overrides


class Browser:
    """A test client speaking to the app as the TLS proxy forwards requests (X-Forwarded-Proto)."""

    def __init__(self) -> None:
        self.client = Client(HTTP_HOST=HOST)
        self.cookie_sources: list[tuple[str, str]] = []  # every Set-Cookie seen over https, with its URL

    def get(self, path: str, *, https: bool = True, **extra: Any) -> HttpResponse:
        return self._record(path, https, self.client.get(path, **self._proto(https), **extra))

    def post(self, path: str, data: dict[str, Any], *, https: bool = True) -> HttpResponse:
        return self._record(path, https, self.client.post(path, data, **self._proto(https)))

    def options(self, path: str, **extra: Any) -> HttpResponse:
        return self.client.options(path, **self._proto(True), **extra)

    @staticmethod
    def _proto(https: bool) -> dict[str, str]:
        return {"HTTP_X_FORWARDED_PROTO": "https" if https else "http"}

    def _record(self, path: str, https: bool, response: HttpResponse) -> HttpResponse:
        if https:
            self.cookie_sources += [(m.OutputString(), url(path)) for m in response.cookies.values()]
        return response


def url(path: str, scheme: str = "https") -> str:
    return f"{scheme}://{HOST}{path}"


def obs(response: HttpResponse, path: str) -> ObsResponse:
    """A response as the Observatory's retriever would have read it off the wire."""
    pairs = [*response.items(), *(("Set-Cookie", m.OutputString()) for m in response.cookies.values())]
    body = response.content.decode("utf-8", "replace") if not response.streaming else ""
    return ObsResponse(url(path), response.status_code, fold_headers(pairs), body)


def retrieval(browser: Browser, path: str = "/") -> tuple[Retrieval, HttpResponse]:
    """What the Observatory gathers for the site: the http:// route, the https:// page, the CORS preflight."""
    http_first = browser.get(path, https=False)
    assert http_first.status_code == 301
    assert http_first["Location"] == url(path)
    https_page = browser.get(path)
    r = Retrieval(hostname=HOST)
    r.http_route = [(url(path, "http"), 301), (url(path), https_page.status_code)]
    r.http = r.https = r.auto = obs(https_page, path)
    r.session_url = url(path)
    preflight = browser.options(path, HTTP_ORIGIN="https://http-observatory.security.mozilla.org",
                                HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    r.cors = obs(preflight, path)
    r.cookie_sources = list(browser.cookie_sources)
    return r, https_page


def log_in(browser: Browser, world: World) -> HttpResponse:
    owner = world.users["owner"]
    owner.set_password(PASSWORD)
    owner.save()
    browser.get(reverse("account_login"))
    response = browser.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return response


def cookie(response: HttpResponse, name: str) -> Morsel[str]:
    assert name in response.cookies, f"{name} not set; got {list(response.cookies)}"
    return response.cookies[name]


def assert_security_headers(response: HttpResponse) -> None:
    assert response["Strict-Transport-Security"] == f"max-age={TWO_YEARS}; includeSubDomains"
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def grade(r: Retrieval) -> tuple[int, str, dict[str, str]]:
    results = analyze(r)
    total = score(results)
    return total, letter_for(total), {t.name: t.result for t in results}


# --- headers, redirect and cookies ------------------------------------------------------------------------

def test_http_is_redirected_to_https_for_every_path(production: dict[str, Any], world: World) -> None:
    browser = Browser()
    for path in ("/", reverse("account_login"), f"/c/{world.company_a.id}/", "/api/v1/companies"):
        response = browser.get(path, https=False)
        assert response.status_code == 301, path
        assert response["Location"] == url(path)
        assert "Strict-Transport-Security" not in response  # HSTS is only meaningful (and only sent) over https


def test_start_and_login_pages_send_the_security_headers(production: dict[str, Any], db: None) -> None:
    browser = Browser()
    for path in ("/", reverse("account_login"), reverse("account_signup")):
        response = browser.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_cookies_are_secure_httponly_samesite_and_host_only(production: dict[str, Any], world: World) -> None:
    browser = Browser()
    login_page = browser.get(reverse("account_login"))
    csrf = cookie(login_page, "__Host-csrftoken")
    assert (csrf["secure"], csrf["httponly"], csrf["samesite"], csrf["path"], csrf["domain"]) == (
        True, True, "Strict", "/", "")
    logged_in = log_in(browser, world)
    session = cookie(logged_in, "__Host-sessionid")
    assert (session["secure"], session["httponly"], session["samesite"], session["path"], session["domain"]) == (
        True, True, "Lax", "/", "")
    switched = browser.post(reverse("set_language"), {"language": "sv", "next": "/"})
    language = cookie(switched, production.get("LANGUAGE_COOKIE_NAME", "django_language"))
    assert (language["secure"], language["httponly"], language["samesite"]) == (True, True, "Lax")


def test_even_cookie_deletions_are_secure_and_httponly(production: dict[str, Any], world: World) -> None:
    browser = Browser()
    log_in(browser, world)  # allauth leaves a "signed in" message in the messages cookie
    shown = browser.get("/")  # the message is shown, and Django deletes the cookie
    deletion = cookie(shown, "messages")
    assert deletion.value == ""
    assert (deletion["secure"], deletion["httponly"], deletion["samesite"]) == (True, True, "Lax")


def test_signed_in_pages_are_not_cached(production: dict[str, Any], world: World) -> None:
    browser = Browser()
    log_in(browser, world)
    response = browser.get(reverse("company_dashboard", args=[world.company_a.id]))
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]


# --- the Observatory's grade ------------------------------------------------------------------------------

def test_observatory_grades_the_start_page_a_plus(production: dict[str, Any], world: World) -> None:
    browser = Browser()
    browser.get(reverse("account_login"))  # the cookies a visitor collects count too: the CSRF cookie,
    log_in(browser, world)  # the session cookie,
    browser.post(reverse("set_language"), {"language": "lt", "next": "/"})  # the language cookie
    browser.post(reverse("account_logout"), {})
    r, _ = retrieval(browser)
    total, letter, results = grade(r)
    assert results["content-security-policy"] == "csp-implemented-with-no-unsafe-default-src-none"
    assert results["cookies"] == "cookies-secure-with-httponly-sessions-and-samesite"
    assert results["redirection"] == "redirection-to-https"
    assert results["strict-transport-security"] == "hsts-implemented-max-age-at-least-six-months"
    assert results["x-frame-options"] == "x-frame-options-implemented-via-csp"
    assert results["cross-origin-resource-policy"] == "corp-implemented-with-same-origin"
    assert results["referrer-policy"] == "referrer-policy-private"
    assert results["x-content-type-options"] == "x-content-type-options-nosniff"
    assert results["subresource-integrity"] in ("sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
                                                "sri-implemented-and-all-scripts-loaded-securely")
    assert total >= 100, results
    assert letter == "A+"


def test_observatory_grades_a_signed_in_page_a_plus(production: dict[str, Any], world: World) -> None:
    browser = Browser()
    log_in(browser, world)
    r, page = retrieval(browser, reverse("company_dashboard", args=[world.company_a.id]))
    assert page.status_code == 200
    total, letter, results = grade(r)
    assert letter == "A+", (total, results)


# --- no inline script or style on any page (the CSP would block it) -------------------------------------------

class InlineFinder(HTMLParser):
    """Collects what a 'self'-only CSP blocks: inline <script>, <style>, style= and on*= / hx-on* attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value for name, value in attrs}
        for name in names:
            if name == "style" or name.startswith(("on", "hx-on")):  # hx-on* is inline script run by htmx
                self.problems.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and "src" not in names and (names.get("type") or "") not in (
                "application/json", "application/ld+json"):
            self.problems.append("<script> without src")
        if tag == "a" and (names.get("href") or "").strip().lower().startswith("javascript:"):
            self.problems.append("javascript: link")


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


def test_inline_finder_catches_what_the_csp_blocks() -> None:
    page = ('<p style="color:red">x</p><button onclick="go()">b</button><script>alert(1)</script>'
            '<style>p{}</style><script src="/static/x.js"></script><script type="application/json">{}</script>'
            '<form hx-on::after-request="this.reset()"></form><a href="javascript:go()">x</a>'
            '<p>style="color:red" and onclick= as text are fine</p>')
    assert inline_problems(page) == ["<p style=…>", "<button onclick=…>", "<script> without src", "<style> element",
                                     "<form hx-on::after-request=…>", "javascript: link"]


def html_pages() -> Iterator[Any]:
    """Every GET page of the platform (not the API, not Django's admin), with a persona allowed to open it."""
    preference = ("owner", "coordinator", "advisor_with_consent", "member", "other_sme", "advisor_without_consent",
                  "anonymous")
    for name, entry in sorted(NAMED.items()):
        rule = rule_for(entry)
        if rule is None or rule.method != "get" or entry.namespace in (API_NAMESPACE, "admin"):
            continue
        persona = next((p for p in preference if p in rule.allow), None)
        if persona is not None:
            yield pytest.param(name, persona, id=f"{name}-{persona}")
        if "anonymous" in rule.allow and persona != "anonymous":
            yield pytest.param(name, "anonymous", id=f"{name}-anonymous")


@pytest.mark.parametrize(("name", "persona"), list(html_pages()))
def test_page_has_no_inline_script_or_style(name: str, persona: str, world: World) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    if persona != "anonymous":
        client.force_login(world.users[persona])
    response = client.get(url_of(NAMED[name], world), follow=True)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        pytest.skip(f"{name} answers {response.status_code} {response['Content-Type']}, not an HTML page")
    assert inline_problems(response.content.decode()) == [], f"{name} (as {persona})"
