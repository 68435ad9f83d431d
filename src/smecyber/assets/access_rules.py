"""Who may open the domain pages (enforced by tests/web/test_access_matrix.py)."""

from smecyber.web.access import SME_PEOPLE, VIEWERS, Rule

RULES = {
    "domain_list": Rule(VIEWERS),
    "domain_add": Rule(SME_PEOPLE),
    "domain_detail": Rule(VIEWERS),
    "domain_verify": Rule(SME_PEOPLE, method="post", note="looks up the domain's DNS and web server"),
    "domain_schedule": Rule(SME_PEOPLE, method="post"),
    "domain_remove": Rule(SME_PEOPLE, method="post"),
}
