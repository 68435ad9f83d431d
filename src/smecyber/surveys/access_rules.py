"""Who may open the surveys' URLs (checked by tests/web/test_access_matrix.py)."""

from smecyber.web.access import COORDINATOR, EVERYONE, SME_PEOPLE, Rule

RULES = {
    "campaign_list": Rule(COORDINATOR),
    "campaign_new": Rule(COORDINATOR),
    "campaign_edit": Rule(COORDINATOR, note="a draft campaign; an open or closed one redirects to its overview"),
    "campaign_open": Rule(COORDINATOR, method="post"),
    "campaign_close": Rule(COORDINATOR, method="post"),
    "campaign_overview": Rule(COORDINATOR, note="statistics only when closed, suppressed below the minimum group"),
    "campaign_export": Rule(COORDINATOR, note="the evidence pack; audited"),
    "survey_answer_anonymous": Rule(EVERYONE, note="the anonymous link: anyone who has it may answer"),
    "company_surveys": Rule(SME_PEOPLE),
    "survey_answer_member": Rule(SME_PEOPLE),
}
