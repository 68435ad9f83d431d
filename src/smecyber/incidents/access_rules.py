"""Who may open the incident log's URLs (checked by tests/web/test_access_matrix.py).

Incidents are more sensitive than scan results: the SME's people and an advisor it consented to see them; a
coordinator never sees one SME's incidents, even while the SME shares its results, only the programme's
anonymised threat statistics.
"""

from smecyber.web.access import COORDINATOR, SME_PEOPLE, VIEWERS, Rule

RULES = {
    "incident_list": Rule(VIEWERS, note="not the coordinator, even while the SME shares its results"),
    "incident_detail": Rule(VIEWERS, note="not the coordinator, even while the SME shares its results"),
    "incident_guidance": Rule(VIEWERS),
    "incident_new": Rule(SME_PEOPLE),
    "incident_edit": Rule(SME_PEOPLE),
    "incident_delete": Rule(SME_PEOPLE, method="post"),
    "programme_threats": Rule(COORDINATOR),
}
