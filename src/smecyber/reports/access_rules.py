"""Who may open the reports' URLs (checked by tests/web/test_access_matrix.py)."""

from smecyber.web.access import COORDINATOR, VIEWERS, Rule

RULES = {
    # A's people and an advisor with A's consent; A's coordinator only while A shares (not in the matrix world)
    "company_dashboard": Rule(VIEWERS, note="coordinator too while the SME shares its results"),
    "company_report": Rule(VIEWERS, note="coordinator too while the SME shares its results"),
    "company_report_pdf": Rule(VIEWERS, note="coordinator too while the SME shares its results"),
    # anonymised aggregates: the programme's coordinators only
    "programme_dashboard": Rule(COORDINATOR),
}
