"""The access-control matrix: every URL of the platform × every persona, against the apps' declared rules.

The URL configuration is walked in full (our apps, the API's operations, allauth, the admin). Every named
URL must have a rule in one of the ``smecyber.<app>.access_rules`` modules, and every rule must name a URL.
Then each (URL, persona) pair is its own test: the persona, in a fresh world (tests/web/world.py), sends the
rule's method to the URL, with the parameters filled from the world by name. An allowed persona must get
through (not 401/403/404, nor sent to log in); a denied one must be refused (401/403/404, or sent to log in
when anonymous). The API is tried with each persona's token and again with the browser session.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from smecyber.web.access import PERSONAS, Rule
from tests.web.world import World

RULE_APPS = ("web", "accounts", "assets", "scans", "reports", "assessments", "surveys", "incidents", "api")
API_NAMESPACE = "api"
# Unnamed patterns cannot be reversed or linked to; each prefix listed here says why it needs no rule.
EXEMPT_UNNAMED = {
    "admin/": "the admin's internals (the object URL that redirects to its change page, the catch-all): "
              "guarded by the admin like every admin URL (the 'admin:*' rule)",
}
# Parameters not in smecyber.web.access's list: allauth's email keys and the admin's object ids. Invalid
# values are enough: the pages answer "this link is invalid" (allauth) or ask a staff login (admin).
EXTRA_KWARGS: dict[str, Any] = {"key": "matrix-invalid-key", "uidb36": "0", "object_id": "1", "content_type_id": "1",
                                "id": "1"}
NEEDS_LAB = frozenset({"domain_verify", "api:domain_verify"})  # verification does real DNS: the lab's, on loopback
REDIRECTS = frozenset({301, 302, 303, 307, 308})
REFUSED = frozenset({401, 403, 404})


@dataclass(frozen=True)
class UrlEntry:
    name: str | None  # with its namespaces, e.g. "api:scan_detail"
    route: str
    params: tuple[str, ...]
    namespace: str


def walk(resolver: URLResolver, namespaces: tuple[str, ...] = (), route: str = "",
         params: tuple[str, ...] = ()) -> list[UrlEntry]:
    found: list[UrlEntry] = []
    for p in resolver.url_patterns:
        full_route = route + str(p.pattern)
        full_params = params + tuple(p.pattern.regex.groupindex)
        if isinstance(p, URLResolver):
            inner = namespaces + ((p.namespace,) if p.namespace else ())
            found += walk(p, inner, full_route, full_params)
        else:
            assert isinstance(p, URLPattern)
            name = ":".join((*namespaces, p.name)) if p.name else None
            found.append(UrlEntry(name, full_route, full_params, ":".join(namespaces)))
    return found


def load_rule_modules() -> tuple[dict[str, ModuleType], list[str]]:
    modules, missing = {}, []
    for app in RULE_APPS:
        module_name = f"smecyber.{app}.access_rules"
        try:
            modules[app] = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            missing.append(app)
    return modules, missing


MODULES, MISSING_MODULES = load_rule_modules()
RULES: dict[str, Rule] = {}
PAYLOADS: dict[str, dict[str, Any]] = {}
DUPLICATE_RULES: list[str] = []
for _app, _module in MODULES.items():
    for _name, _rule in _module.RULES.items():
        if _name in RULES:
            DUPLICATE_RULES.append(f"{_name} ({_app})")
        RULES[_name] = _rule
    PAYLOADS.update(getattr(_module, "PAYLOADS", {}))

ENTRIES = walk(get_resolver())
NAMED: dict[str, UrlEntry] = {}
for _entry in ENTRIES:
    if _entry.name:
        NAMED.setdefault(_entry.name, _entry)  # reverse() finds a name whichever pattern carries it


def rule_for(entry: UrlEntry) -> Rule | None:
    assert entry.name
    return RULES.get(entry.name) or (RULES.get(f"{entry.namespace}:*") if entry.namespace else None)


def test_every_app_has_an_access_rules_module() -> None:
    assert not MISSING_MODULES, f"no access_rules module in: {', '.join(MISSING_MODULES)}"
    assert not DUPLICATE_RULES, f"rules declared twice: {DUPLICATE_RULES}"


def test_every_named_url_has_a_rule() -> None:
    missing = sorted(f"{name} ({e.route})" for name, e in NAMED.items() if rule_for(e) is None)
    assert not missing, "URLs without an access rule:\n" + "\n".join(missing)


def test_every_rule_names_an_existing_url() -> None:
    namespaces = {e.namespace for e in NAMED.values()}
    unknown = sorted(name for name in RULES
                     if name not in NAMED and not (name.endswith(":*") and name[:-2] in namespaces))
    assert not unknown, f"rules for URLs that do not exist: {unknown}"


def test_unnamed_urls_are_exempt_with_a_reason() -> None:
    unnamed = [e.route for e in ENTRIES if e.name is None]
    unexplained = [r for r in unnamed if not any(r.startswith(prefix) for prefix in EXEMPT_UNNAMED)]
    assert not unexplained, f"unnamed URL patterns (name them, or exempt them here with a reason): {unexplained}"
    unused = [prefix for prefix in EXEMPT_UNNAMED if not any(r.startswith(prefix) for r in unnamed)]
    assert not unused, f"exemptions that match no URL: {unused}"


# --- the matrix -----------------------------------------------------------------------------------------------

def cases(*, api_only: bool = False) -> list[Any]:
    params = []
    for name, entry in sorted(NAMED.items()):
        rule = rule_for(entry)
        if rule is None or (api_only and entry.namespace != API_NAMESPACE):
            continue
        for persona in PERSONAS:
            params.append(pytest.param(entry, rule, persona, id=f"{name}-{persona}"))
    return params


def url_of(entry: UrlEntry, world: World) -> str:
    values = {**EXTRA_KWARGS, **world.url_kwargs()}
    if "app_label" in entry.params:
        values["app_label"] = next(iter(admin.site._registry))._meta.app_label  # a registered app
    unknown = [p for p in entry.params if p not in values]
    assert not unknown, f"the matrix world has no value for the URL parameters {unknown} of {entry.name}"
    assert entry.name
    return reverse(entry.name, kwargs={p: values[p] for p in entry.params})


def send(client: Client, entry: UrlEntry, rule: Rule, world: World) -> HttpResponse:
    url = url_of(entry, world)
    if rule.method == "get":
        return client.get(url)
    assert rule.method == "post", f"unknown method {rule.method!r} in the rule of {entry.name}"
    payload = PAYLOADS.get(entry.name or "")
    if entry.namespace == API_NAMESPACE:
        return client.post(url, payload or {}, content_type="application/json")
    return client.post(url, payload or {})


def login_paths() -> set[str]:
    return {reverse("account_login"), reverse("admin:login")}


def sent_to_login(response: HttpResponse) -> bool:
    return response.status_code in REDIRECTS and urlsplit(response["Location"]).path in login_paths()


def describe(response: HttpResponse) -> str:
    where = f" → {response['Location']}" if response.status_code in REDIRECTS else ""
    return f"{response.status_code}{where}"


def check(entry: UrlEntry, rule: Rule, persona: str, response: HttpResponse) -> None:
    status = response.status_code
    assert status != 405, f"{entry.name}: the rule's method {rule.method.upper()} is not accepted"
    to_login = sent_to_login(response)
    admin_login = to_login and urlsplit(response["Location"]).path == reverse("admin:login")
    if persona in rule.allow:
        assert status not in REFUSED and not to_login, (
            f"{persona} may use {entry.name} ({rule.method.upper()}) but got {describe(response)}")
        return
    refused = status in REFUSED or (to_login and (persona == "anonymous" or admin_login))
    assert refused, f"{persona} may not use {entry.name} ({rule.method.upper()}) but got {describe(response)}"
    if persona == "anonymous" and entry.namespace == API_NAMESPACE and entry.name != "api:api-root":
        assert status == 401, f"the API answers 401 without credentials, {entry.name} gave {describe(response)}"


def prepare(entry: UrlEntry, request: pytest.FixtureRequest) -> None:
    if entry.name in NEEDS_LAB:
        request.getfixturevalue("lab_scanner")


@pytest.mark.parametrize(("entry", "rule", "persona"), cases())
def test_access(entry: UrlEntry, rule: Rule, persona: str, world: World, request: pytest.FixtureRequest) -> None:
    prepare(entry, request)
    client = Client(HTTP_HOST="127.0.0.1")
    if entry.namespace == API_NAMESPACE:
        if persona != "anonymous":
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[persona]}"
    elif persona != "anonymous":
        client.force_login(world.users[persona])
    check(entry, rule, persona, send(client, entry, rule, world))


@pytest.mark.parametrize(("entry", "rule", "persona"), cases(api_only=True))
def test_api_access_with_the_browser_session(entry: UrlEntry, rule: Rule, persona: str, world: World,
                                             request: pytest.FixtureRequest) -> None:
    prepare(entry, request)
    client = Client(HTTP_HOST="127.0.0.1")  # no CSRF enforcement: the CSRF check has its own test (tests/api)
    if persona != "anonymous":
        client.force_login(world.users[persona])
    check(entry, rule, persona, send(client, entry, rule, world))
