"""Every URL of the accounts app and of allauth has an access rule (the matrix test enforces them)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from smecyber.accounts.access_rules import RULES
from smecyber.web.access import PERSONAS


def url_names(patterns: list, module_prefixes: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                names |= url_names(pattern.url_patterns, module_prefixes)
        elif (isinstance(pattern, URLPattern) and pattern.name
              and getattr(pattern.callback, "__module__", "").startswith(module_prefixes)):
            names.add(pattern.name)
    return names


def test_every_accounts_and_allauth_url_has_a_rule_and_no_rule_is_stale() -> None:
    names = url_names(get_resolver().url_patterns, ("smecyber.accounts", "allauth"))
    assert "company_people" in names and "account_login" in names and "mfa_activate_totp" in names
    assert names == set(RULES)


def test_rules_use_the_shared_vocabulary() -> None:
    for name, rule in RULES.items():
        assert rule.allow <= set(PERSONAS), name
        assert rule.method in ("get", "post"), name
