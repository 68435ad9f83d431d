"""Who may open the self-assessment's and the action plan's URLs (checked by tests/web/test_access_matrix.py)."""

from smecyber.web.access import OWNER, SME_PEOPLE, VIEWERS, Rule

RULES = {
    # read: A's people and an advisor with A's consent (a coordinator too while A shares its results)
    "assessment_home": Rule(VIEWERS, note="coordinator too while the SME shares its results"),
    "assessment_review": Rule(VIEWERS, note="all answers with comments; advisors comment here"),
    "assessment_result": Rule(VIEWERS, note="coordinator too while the SME shares its results"),
    # answering is the SME's own work
    "assessment_start": Rule(SME_PEOPLE, method="post"),
    "assessment_profile": Rule(SME_PEOPLE),
    "assessment_step": Rule(SME_PEOPLE),
    "assessment_submit": Rule(SME_PEOPLE, method="post"),
    # asking a colleague to answer an area: owners (it may invite a new person)
    "assessment_assign": Rule(OWNER, method="post"),
    # comments: the SME's people and an advisor with consent (not a coordinator)
    "assessment_comment": Rule(VIEWERS, method="post"),
    "action_plan": Rule(VIEWERS, note="coordinator too while the SME shares its results"),
    "action_plan_csv": Rule(VIEWERS, note="an export: audited"),
    "action_item_update": Rule(SME_PEOPLE, method="post"),
}

# What the matrix posts (tests/web/test_access_matrix.py), so an allowed persona's request is valid.
PAYLOADS = {
    "assessment_assign": {"area": "governance", "email": "colleague@example.test"},
    "assessment_comment": {"text": "Who stands in for the responsible person during holidays?"},
}
