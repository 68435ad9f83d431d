"""Who may open which URL: the rules the access-control matrix test (tests/web/test_access_matrix.py) enforces.

Every app keeps its rules beside its views in ``<app>/access_rules.py`` as ``RULES = {url_name: Rule(...)}``.
The test walks the whole URL configuration; a URL name without a rule fails it.

Personas (the world the test builds): an SME "A" in programme P with its ``owner`` and a ``member``; another
SME "B" in P whose member is ``other_sme``; an ``advisor_with_consent`` (A granted consent) and an
``advisor_without_consent``; the ``coordinator`` of P (A does not share its results with P); ``anonymous``.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSONAS = (
    "anonymous",
    "other_sme",
    "advisor_without_consent",
    "advisor_with_consent",
    "coordinator",
    "member",
    "owner",
)

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
SME_PEOPLE = frozenset({"owner", "member"})
OWNER = frozenset({"owner"})
VIEWERS = frozenset({"owner", "member", "advisor_with_consent"})  # may see A's named results
COORDINATOR = frozenset({"coordinator"})
NOBODY: frozenset[str] = frozenset()  # e.g. the Django admin: platform admins only, none of the personas


@dataclass(frozen=True)
class Rule:
    allow: frozenset[str]
    method: str = "get"  # "post" for actions; the matrix sends this method
    # Placeholders are filled from the matrix world by URL parameter name: company_id, domain_id, scan_id,
    # programme_id, batch_id, token_id, consent_id, membership_id, invitation_token, ...
    note: str = ""
