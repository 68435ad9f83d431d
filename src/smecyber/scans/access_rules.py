"""Who may open the scan and batch pages (enforced by tests/web/test_access_matrix.py)."""

from smecyber.web.access import COORDINATOR, SME_PEOPLE, VIEWERS, Rule

RULES = {
    "scan_request": Rule(SME_PEOPLE, method="post", note="starts a scan (eager in tests: runs it)"),
    "scan_detail": Rule(VIEWERS),
    "scan_progress": Rule(VIEWERS),
    "batch_list": Rule(COORDINATOR),
    "batch_new": Rule(COORDINATOR),
    "batch_detail": Rule(COORDINATOR, note="aggregates only, never named results"),
}
