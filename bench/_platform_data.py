"""A programme-sized data set for the dashboard benchmark, bulk-loaded in one transaction.

1,000 SMEs in one programme (one owner each, 10 % sharing their results with the programme), 5,000 domains
(1 to 20 per SME), a done scan of every domain in the last week plus older scans over the last year (a
domain's older scans are a little worse, so trends go up), a few failed and waiting scans, two finished
sweeps of 1,000 names, and exactly 100,000 findings.

Findings are made from the catalog: every check family (``mail.dmarc``, ``web.hsts``, a header family of
``web.headers`` ...) gives one outcome key per scan, good or a problem, with the status, severity and points
the checks use (problems: low/medium warn, high/critical fail). Grades come from ``checks.scoring`` and
facts from ``scans.facts`` — the same code the scan runner stores them with. A domain reports 10 to 18
families (every domain has the six the aggregates read: HTTPS, HSTS, DMARC, SPF, DNSSEC, certificate), so a
scan holds about 14 findings and 100,000 findings cover every domain's latest scan plus ~2,000 older ones.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

PROGRAMME_NAME = "Bench programme"
COORDINATOR_EMAIL = "coordinator@bench.test"
SMES = 1_000
DOMAINS = 5_000
FINDINGS = 100_000
BATCHES = 2
BATCH_SIZE = 1_000
SHARED_SHARE = 0.10
FAILED_SCANS = 50
WAITING_SCANS = 20

COUNTRIES = ("SE", "LV", "LT", "EE", "FI", "DK", "PL", "DE")
SECTORS = "CJMNGK"
HEADER_FAMILIES = ("cookies", "corp", "cross_origin_resource_sharing", "csp", "hsts", "redirection",
                   "referrer_policy", "sri", "x_content_type_options", "x_frame_options")
# Families every domain reports (what the programme aggregates and the SME facts read).
CORE = ("web.https", "web.hsts", "mail.dmarc", "mail.spf", "dns.dnssec", "tls.certificate")
# A family's good outcome where it is not simply "<family>.ok".
GOOD = {"mail.dmarc": "mail.dmarc.policy_reject", "dns.dnssec": "dns.dnssec.secure"}
POINTS = {"none": 0, "low": -10, "medium": -15, "high": -25, "critical": -40}
COMMON_PROBLEMS = ("missing", "not_implemented", "policy_none", "softfail_all", "no_tls13", "insecure",
                   "expires_soon", "max_age_short", "no_rua")


@dataclass(frozen=True, slots=True)
class Outcome:
    key: str
    check: str
    severity: str
    status: str
    points: int
    group: str


def _group(key: str) -> str:
    area = key.split(".", 1)[0]
    if key.startswith("web.headers."):
        return "web_headers"
    return {"web": "web", "tls": "tls", "mail": "mail", "dns": "dns"}[area]


def catalog_families() -> dict[str, tuple[Outcome, list[tuple[Outcome, int]]]]:
    """family -> (its good outcome, [(problem outcome, weight)]) from the findings catalog."""
    from smecyber.catalog import load_catalog

    catalog = load_catalog()
    members: dict[str, list[str]] = defaultdict(list)
    all_keys: list[str] = catalog.keys()  # the Catalog is not itself iterable
    for key in all_keys:
        area, check, rest = [*key.split(".", 2), "", ""][:3]
        family = f"{area}.{check}"
        if area == "engine" or family == "tls.endpoint":
            continue
        if family == "web.headers":
            prefix = next((p for p in HEADER_FAMILIES if rest.startswith(p)), None)
            if prefix is None:
                continue
            family = f"web.headers:{prefix}"
        members[family].append(key)
    out = {}
    for family, keys in members.items():
        check = family.split(":", 1)[0]
        outcomes = []
        for key in keys:
            severity = catalog.entry(key).severity
            status = "pass" if severity == "none" else ("fail" if severity in ("high", "critical") else "warn")
            outcomes.append(Outcome(key, check, severity, status, POINTS[severity], _group(key)))
        good_key = GOOD.get(family, f"{family}.ok")
        good = next((o for o in outcomes if o.key == good_key), None)
        if good is None:  # a header family: its first harmless outcome ("..._implemented_with_...")
            good = next(o for o in outcomes if o.severity == "none")
        good = Outcome(good.key, good.check, good.severity, "pass", 5 if good.group == "web_headers" else 0,
                       good.group)
        problems = [(o, 4 if any(c in o.key for c in COMMON_PROBLEMS) else 1) for o in outcomes
                    if o.severity != "none"]
        out[family] = (good, problems)
    return out


class Generator:
    def __init__(self, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.families = catalog_families()
        self.optional = sorted(f for f in self.families if f not in CORE)

    def profile(self) -> dict[str, Outcome]:
        """One domain's outcome per family it reports."""
        quality = self.rng.uniform(0.35, 0.95)
        chosen = list(CORE) + self.rng.sample(self.optional, self.rng.randint(4, 12))
        return {f: self._pick(f, quality) for f in chosen}

    def _pick(self, family: str, quality: float) -> Outcome:
        good, problems = self.families[family]
        if not problems or self.rng.random() < quality:
            return good
        outcomes, weights = zip(*problems, strict=True)
        return self.rng.choices(outcomes, weights)[0]

    def older(self, profile: dict[str, Outcome]) -> dict[str, Outcome]:
        """The same domain a while ago: some of today's good outcomes were problems then."""
        return {f: (self._pick(f, 0.0) if o.status == "pass" and self.rng.random() < 0.2 else o)
                for f, o in profile.items()}

    def findings(self, profile: dict[str, Outcome], name: str, when: datetime) -> list[Any]:
        from smecyber.checks.model import Finding, Severity, Status

        out = []
        for o in profile.values():
            evidence: dict[str, Any] = {"domain": name}
            if o.check == "tls.certificate":
                days = -3 if o.key.endswith("expired") else (12 if o.key.endswith("expires_soon") else 80)
                evidence = {"host": name, "not_after": (when + timedelta(days=days)).isoformat()}
            elif o.check == "mail.dmarc":
                evidence = {"record": "v=DMARC1; p=reject" if o.status == "pass" else "v=DMARC1; p=none"}
            out.append(Finding(check=o.check, key=o.key, status=Status(o.status), severity=Severity(o.severity),
                               evidence=evidence, points=o.points, score_group=o.group, subject=name))
        return out

    def graded(self, findings: list[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        from smecyber.checks.model import Area
        from smecyber.checks.scoring import compute_grades
        from smecyber.scans.facts import facts_from_findings

        grades = compute_grades(findings, [Area.WEB, Area.MAIL, Area.DNS])
        return {k: g.to_dict() for k, g in grades.items()}, facts_from_findings(findings)


def data_present() -> bool:
    from smecyber.accounts.models import Company, Programme
    from smecyber.scans.models import ScanFinding

    programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
    return (programme is not None and Company.objects.filter(programme=programme).count() == SMES
            and ScanFinding.objects.count() == FINDINGS)


def load(seed: int = 3) -> dict[str, int]:
    """Load the data set into the (empty) database in one transaction; counts of what was written."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from smecyber.accounts.models import (
        Company,
        Membership,
        Programme,
        ProgrammeRole,
        SupportOrganisation,
        User,
    )
    from smecyber.assets.models import Domain
    from smecyber.scans.models import Batch, BatchEntry, Scan, ScanFinding, ScanStatus

    now = timezone.now()
    gen = Generator(seed, now)
    rng = gen.rng
    unusable = make_password(None)  # sessions are made directly; nobody logs in with a password
    with transaction.atomic():
        org = SupportOrganisation.objects.create(name="Bench cluster", country="SE")
        programme = Programme.objects.create(organisation=org, name=PROGRAMME_NAME, created_at=now - timedelta(
            days=400))
        coordinator = User.objects.create(email=COORDINATOR_EMAIL, password=unusable)
        ProgrammeRole.objects.create(user=coordinator, programme=programme, role=ProgrammeRole.Role.COORDINATOR)

        owners = User.objects.bulk_create(
            [User(email=f"owner{i:04d}@bench.test", password=unusable) for i in range(1, SMES + 1)],
            batch_size=1000)
        companies = [
            Company(programme=programme, name=f"SME {i:04d} AB", country=rng.choice(COUNTRIES),
                    sector=rng.choice(SECTORS), size_band=rng.choice(["micro", "micro", "small", "medium"]),
                    builds_software=rng.random() < 0.6, created_at=now - timedelta(days=rng.randint(30, 400)),
                    shared_with_programme_at=now if rng.random() < SHARED_SHARE else None)
            for i in range(1, SMES + 1)
        ]
        Company.objects.bulk_create(companies, batch_size=1000)
        Membership.objects.bulk_create(
            [Membership(user=u, company=c, role=Membership.Role.OWNER) for u, c in zip(owners, companies,
                                                                                        strict=True)],
            batch_size=1000)

        # 1 to 20 domains per SME, 5 on average, most SMEs with a few and some with many
        per_sme = [1] * SMES
        weights = [rng.paretovariate(1.5) for _ in range(SMES)]
        for i in rng.choices(range(SMES), weights, k=DOMAINS - SMES):
            if per_sme[i] < 20:
                per_sme[i] += 1
        while sum(per_sme) < DOMAINS:
            per_sme[rng.randrange(SMES)] += 1
        domains = []
        for company, count in zip(companies, per_sme, strict=True):
            slug = company.name.split()[1]
            for j in range(count):
                name = f"{'www.' if j % 3 == 2 else ''}sme{slug}-{j + 1}.bench.test"
                domains.append(Domain(company=company, name=name, display_name=name,
                                      created_at=company.created_at, verified_at=company.created_at,
                                      verified_method=Domain.Method.DNS, schedule=Domain.Schedule.WEEKLY,
                                      next_scan_at=now + timedelta(days=rng.uniform(0, 7))))
        Domain.objects.bulk_create(domains, batch_size=2000)

        scans: list[Scan] = []
        findings: list[ScanFinding] = []

        def add_scan(domain: Domain, profile: dict[str, Outcome], when: datetime, limit: int) -> None:
            engine = gen.findings(profile, domain.name, when)[:limit]
            grades, facts = gen.graded(engine)
            scan = Scan(id=uuid.uuid4(), domain=domain, status=ScanStatus.DONE, trigger=Scan.Trigger.SCHEDULED,
                        depth="deep", created_at=when, started_at=when, finished_at=when + timedelta(seconds=40),
                        attempts=1, checks_total=len(engine), checks_done=len(engine), grades=grades,
                        facts=facts, duration_s=rng.uniform(20, 60), dispatched_at=when)
            scans.append(scan)
            findings.extend(
                ScanFinding(scan_id=scan.id, check_id=f.check, key=f.key, status=str(f.status),
                            severity=str(f.severity), subject=f.subject, evidence=f.evidence, points=f.points,
                            score_group=f.score_group)
                for f in engine)

        profiles = {}
        for domain in domains:
            profiles[domain.pk] = gen.profile()
            add_scan(domain, profiles[domain.pk], now - timedelta(hours=rng.uniform(1, 24 * 7)), 999)
        if len(findings) > FINDINGS:
            raise SystemExit(f"the latest scans alone hold {len(findings)} findings (> {FINDINGS})")
        # Older scans of random domains, each a few weeks before the domain's oldest so far, until the
        # findings reach exactly FINDINGS (the last one cut short).
        oldest = {s.domain.pk: s.created_at for s in scans}
        while len(findings) < FINDINGS:
            domain = rng.choice(domains)
            when = oldest[domain.pk] - timedelta(days=rng.uniform(14, 90))
            if when < now - timedelta(days=360):
                continue
            profiles[domain.pk] = gen.older(profiles[domain.pk])
            add_scan(domain, profiles[domain.pk], when, FINDINGS - len(findings))
            oldest[domain.pk] = when
        done_scans = len(scans)
        for domain in rng.sample(domains, FAILED_SCANS + WAITING_SCANS):
            failed = len(scans) < done_scans + FAILED_SCANS
            when = now - timedelta(minutes=rng.uniform(1, 50))
            scans.append(Scan(domain=domain, status=ScanStatus.FAILED if failed else ScanStatus.QUEUED,
                              trigger=Scan.Trigger.MANUAL, created_at=when, dispatched_at=when,
                              attempts=3 if failed else 0, finished_at=when if failed else None,
                              error="the scanner stopped with an error (TimeoutError)" if failed else ""))
        Scan.objects.bulk_create(scans, batch_size=2000)
        ScanFinding.objects.bulk_create(findings, batch_size=5000)

        entries = []
        for b in range(BATCHES):
            when = now - timedelta(days=30 * (BATCHES - b))
            batch = Batch.objects.create(programme=programme, name=f"Regional sweep {b + 1}",
                                         submitted_by=coordinator, created_at=when, finished_at=when)
            for i in range(BATCH_SIZE):
                profile = gen.profile()
                grades, facts = gen.graded(gen.findings(profile, f"swept{i:04d}.bench.test", when))
                entries.append(BatchEntry(batch=batch, name=f"swept{i:04d}.bench.test", status=ScanStatus.DONE,
                                          attempts=1, grades=grades, facts=facts, finished_at=when))
        BatchEntry.objects.bulk_create(entries, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # planner statistics and visibility map, as autovacuum would by now
    return {"smes": len(companies), "domains": len(domains), "done scans": done_scans,
            "other scans": len(scans) - done_scans, "findings": len(findings), "batch entries": len(entries)}
