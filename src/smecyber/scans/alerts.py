"""Email alerts after a scan: tell the SME's own people what got worse, in their language.

Reasons (one email per person per scan, listing all of them):
- a failure the previous scan of the domain did not have;
- the overall grade dropped (a lower score or a worse letter);
- a web or mail server certificate expires within ``CERT_WARNING_DAYS`` days (or has expired).
Only the owners and members of the domain's SME with alerts switched on receive it — never advisors,
coordinators or anyone of another SME.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from smecyber.accounts.models import Membership, User
from smecyber.catalog import load_catalog
from smecyber.checks.scoring import GRADE_SCALE

from .facts import WEB_CERTIFICATE_CHECK, certificate_expiries
from .models import Scan, ScanStatus
from .queries import previous_done_scan

CERT_WARNING_DAYS = 21
MAIL_CERTIFICATE_CHECK = "mail.starttls"
_LETTER_RANK = {letter: i for i, (_minimum, letter) in enumerate(GRADE_SCALE)}  # 0 = best


@dataclass(frozen=True, slots=True)
class ExpiringCertificate:
    kind: str  # "web" or "mail"
    subject: str
    not_after: dt.datetime
    days_left: int


@dataclass(slots=True)
class AlertReasons:
    new_failures: list[tuple[str, str]] = field(default_factory=list)  # (catalog key, subject)
    grade_before: dict[str, Any] | None = None  # set when the overall grade dropped
    grade_after: dict[str, Any] | None = None
    certificates: list[ExpiringCertificate] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new_failures or self.grade_after or self.certificates)


def alert_reasons(scan: Scan) -> AlertReasons:
    reasons = AlertReasons()
    if scan.status != ScanStatus.DONE:
        return reasons
    findings = list(scan.findings.all())
    previous = previous_done_scan(scan)
    if previous is not None:
        before = {f.identity for f in previous.findings.filter(status="fail")}
        seen: set[tuple[str, str, str]] = set()
        for f in findings:
            if f.status == "fail" and f.identity not in before and f.identity not in seen:
                seen.add(f.identity)
                reasons.new_failures.append((f.key, f.subject))
        old, new = previous.grades.get("overall"), scan.grades.get("overall")
        if old and new and _worse(old, new):
            reasons.grade_before, reasons.grade_after = old, new
    now = scan.finished_at or timezone.now()
    limit = now + dt.timedelta(days=CERT_WARNING_DAYS)
    for kind, check in (("web", WEB_CERTIFICATE_CHECK), ("mail", MAIL_CERTIFICATE_CHECK)):
        for subject, not_after in certificate_expiries(findings, check):
            if not_after <= limit:
                days = (not_after - now).days
                reasons.certificates.append(ExpiringCertificate(kind, subject, not_after, days))
    return reasons


def _worse(old: dict[str, Any], new: dict[str, Any]) -> bool:
    if isinstance(old.get("score"), int) and isinstance(new.get("score"), int) and new["score"] < old["score"]:
        return True
    old_rank = _LETTER_RANK.get(str(old.get("letter")))
    new_rank = _LETTER_RANK.get(str(new.get("letter")))
    return old_rank is not None and new_rank is not None and new_rank > old_rank


def recipients(scan: Scan) -> list[User]:
    """The SME's owners and members who want alerts (and can log in)."""
    members = Membership.objects.filter(company_id=scan.domain.company_id).values("user_id")
    return list(User.objects.filter(pk__in=members, alerts_enabled=True, is_active=True).exclude(email="")
                .order_by("pk"))


def send_alerts(scan: Scan) -> int:
    """Send this scan's alert emails (at most once per scan). Returns how many were sent."""
    reasons = alert_reasons(scan)
    if not reasons:
        return 0
    # Claim the sending: a duplicate task delivery finds alerts_sent_at set and sends nothing.
    if not Scan.objects.filter(pk=scan.pk, alerts_sent_at__isnull=True).update(alerts_sent_at=timezone.now()):
        return 0
    link = settings.SITE_URL + reverse("scan_detail", kwargs={"scan_id": scan.pk})
    catalog = load_catalog()
    sent = 0
    for user in recipients(scan):
        language = user.language or "en"
        with override(language):
            failures = [{"title": _title(catalog, key, language), "subject": subject}
                        for key, subject in reasons.new_failures]
            context = {"scan": scan, "domain": scan.domain.display_name or scan.domain.name, "link": link,
                       "failures": failures, "reasons": reasons, "user": user}
            subject = render_to_string("scans/email/alert_subject.txt", context).strip()
            body = render_to_string("scans/email/alert.txt", context)
        message = EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.extra_headers["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to alerts
        sent += message.send()
    return sent


def _title(catalog: Any, key: str, language: str) -> str:
    try:
        return str(catalog.entry(key, language).title)
    except KeyError:
        return key
