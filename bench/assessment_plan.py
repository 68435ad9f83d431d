"""Benchmark: what the self-assessment and the action plan cost.

1. The engine alone (no Django): `assess()` of the full software-company answer file (65 questions, NIS2, CRA,
   plan without findings) and `build_plan` with 20 domains' findings merged in.
2. In PostgreSQL, on the dashboard benchmark's data set (database smecyber_bench: 1,000 SMEs, 5,000 domains,
   100,000 findings; made once by bench/platform_dashboards.py's loader, reused): for the SME with the most
   domains, a submitted assessment through the real services, then
   - `refresh_plan` (what every finished scan adds in the worker),
   - `group_scores` (the benchmark's peer query),
   - the result page, the plan page and the HTML report rendered through Django's test client.
Prints median and p95 in milliseconds. No target in the issue; the figures are recorded in docs/performance.md.
Run: `.venv/bin/python bench/assessment_plan.py [--repeat 30]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _platform_data as data
from _platform import ROOT, create_database, percentile, platform_env, setup_django

DB_NAME = "smecyber_bench"


def timed(label: str, fn: Callable[[], object], repeat: int) -> None:
    fn()  # warm: caches, imports, the first query plans
    runs: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    print(f"  {label:<48} median {statistics.median(runs):7.1f} ms   p95 {percentile(runs, 95):7.1f} ms")


def engine(repeat: int) -> None:
    from smecyber.catalog.questionnaire import load_questionnaire
    from smecyber.methodology.answers_file import load_answers_file
    from smecyber.methodology.assess import assess
    from smecyber.methodology.plan import PlanFinding, build_plan

    q = load_questionnaire()
    profile, answers = load_answers_file(ROOT / "examples" / "answers-software-company.yaml")
    findings = [PlanFinding(key, status, "high" if status == "fail" else "medium", f"d{i}.example")
                for i in range(20)
                for key, status in (("mail.dmarc.missing", "fail"), ("web.hsts.max_age_short", "warn"),
                                    ("dns.dnssec.unsigned", "warn"), ("web.headers.csp_missing", "fail"))]
    print("engine (no Django):")
    timed("assess(), 65 answers, NIS2, CRA, plan", lambda: assess(q, profile, answers), repeat * 10)
    timed("build_plan(), 65 answers + 80 findings", lambda: build_plan(q, profile, answers, findings), repeat * 10)


def platform(repeat: int) -> None:
    env = platform_env(DB_NAME, Path(tempfile.mkdtemp(prefix="smecyber-bench-")))
    create_database(DB_NAME, fresh=False)
    setup_django(env)
    if not data.data_present():
        print("loading the dashboard data set (once; a few minutes) ...")
        data.load()

    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from smecyber.accounts.models import Company, Membership
    from smecyber.assessments import plan_service, services
    from smecyber.assessments.models import Assessment
    from smecyber.methodology.answers_file import load_answers_file

    company = Company.objects.annotate(n=Count("domains")).order_by("-n", "name").first()
    assert company is not None
    owner = Membership.objects.filter(company=company).select_related("user").first()
    assert owner is not None
    Assessment.objects.filter(company=company).delete()
    _, answers = load_answers_file(ROOT / "examples" / "answers-software-company.yaml")
    assessment = services.start_assessment(company, owner.user)
    applicable = [qu.id for qu in services.applicable_questions(assessment)]
    services.save_answers(assessment, {k: answers.get(k, "0.5") for k in applicable}, owner.user)
    services.submit(assessment, owner.user)
    items = company.action_items.filter(active=True).count()
    print(f"platform (PostgreSQL; {company.domains.count()} domains, {items} plan items):")
    timed("refresh_plan (after every finished scan)", lambda: plan_service.refresh_plan(company), repeat)
    timed("group_scores (peer benchmark query)", lambda: services.group_scores(company), repeat)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name hashed static files
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner.user)
    for label, url in (("result page", f"/c/{company.pk}/assessment/{assessment.pk}/result/"),
                       ("action plan page", f"/c/{company.pk}/plan/"),
                       ("report (HTML) with assessment sections", f"/c/{company.pk}/report/")):
        def get(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        timed(label, get, repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    engine(args.repeat)
    platform(args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
