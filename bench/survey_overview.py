"""Benchmark: a closed needs-survey campaign's overview page over 100,000 responses in PostgreSQL.

A PostgreSQL database of its own (default smecyber_bench_surveys; made and loaded once, reused afterwards): one
programme, its coordinator and one closed campaign of the packaged template with N synthetic responses (bulk
inserted, bits through ``surveys.bits.encode`` as ``submit_response`` stores them) spread realistically over the
10 country values × 21 NACE sections × 4 size bands (many SE/FI/LT ICT and professional-services micro firms,
few large ones, some sectors almost empty — so suppression has work to do in the fine cells).

Timed through Django's test client in this process (the coordinator logged in), 20 runs each, median and p95:

* cold: the statistics cache entry deleted before each request, so the request runs the aggregate query,
  build_cube + protect and the render;
* warm: the protected figures come from the cache (the common case: a closed campaign never changes);

and the parts alone: the GROUP BY query (``campaign_rows``), ``build_cube``, ``protect``, and a filtered page
(country × size band chosen); then the evidence pack's three documents once each.

Target (issue 5): the campaign overview page < 300 ms.
Run: `.venv/bin/python bench/survey_overview.py [--responses 100000] [--runs 20] [--fresh]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _platform import create_database, percentile, platform_env, setup_django

TARGET_MS = 300.0
PROGRAMME_NAME = "Bench survey programme"
COORDINATOR_EMAIL = "survey-coordinator@bench.test"
TITLE = "Needs survey 2026 (bench)"
BATCH = 5_000

COUNTRY_WEIGHTS = {"SE": 26, "FI": 16, "LT": 14, "LV": 12, "EE": 9, "PL": 9, "DK": 7, "DE": 5, "NO": 1.5,
                   "other": 0.5}
SECTOR_WEIGHTS = {"J": 22, "M": 14, "G": 13, "C": 12, "F": 7, "N": 5, "K": 4, "H": 4, "I": 3, "Q": 3, "P": 3,
                  "S": 3, "L": 2, "R": 2, "A": 1, "E": 1, "D": 0.5, "B": 0.3, "O": 0.3, "T": 0.1, "U": 0.05}
SIZE_WEIGHTS = {"micro": 58, "small": 29, "medium": 10, "large": 3}
SIZE_FACTOR = {"micro": 0.8, "small": 1.0, "medium": 1.15, "large": 1.3}
# how common each Eurostat measure is among small firms (roughly the EU27 figures, scaled by size below)
MEASURE_RATE = {"E_SECMSPSW": 0.75, "E_SECMOSBU": 0.70, "E_SECMNAC": 0.55, "E_SECMVPN": 0.45, "E_SECMLOG": 0.38,
                "E_SECMDENC": 0.30, "E_SECMUIBM": 0.15, "E_SECMDUO": 0.35, "E_SECMSMS": 0.20, "E_SECMRASS": 0.25,
                "E_SECMTST": 0.22}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def synthetic_answers(questions: list, rng: random.Random) -> dict[str, list[str]]:
    """One valid response: profile drawn from the weights above, measures more common in bigger firms, the
    other multi questions a few options each (or their "none")."""
    country, sector, size = _pick(rng, COUNTRY_WEIGHTS), _pick(rng, SECTOR_WEIGHTS), _pick(rng, SIZE_WEIGHTS)
    answers: dict[str, list[str]] = {"country": [country], "sector": [sector], "size_band": [size]}
    for q in questions:
        if q.id in answers:
            continue
        if q.id == "builds_software":
            answers[q.id] = ["yes" if rng.random() < (0.7 if sector == "J" else 0.2) else "no"]
        elif q.kind == "single":
            answers[q.id] = [rng.choice(q.options)]
        else:
            others = [o for o in q.options if o != q.exclusive]
            if q.id == "measures":
                chosen = [o for o in others if rng.random() < min(0.98, MEASURE_RATE.get(o, 0.3) * SIZE_FACTOR[size])]
            else:
                rate = 0.3 if len(others) <= 6 else 0.15
                chosen = [o for o in others if rng.random() < rate]
            if not chosen:
                chosen = [q.exclusive] if q.exclusive else [rng.choice(others)]
            answers[q.id] = chosen
    return answers


def load(responses: int, seed: int = 2026) -> object:
    """The programme, its coordinator and the closed campaign with ``responses`` responses."""
    from smecyber.accounts.models import Programme, ProgrammeRole, SupportOrganisation, User
    from smecyber.surveys import bits as bitmap
    from smecyber.surveys import services
    from smecyber.surveys.models import Response

    org = SupportOrganisation.objects.create(name="Bench cluster", country="SE")
    programme = Programme.objects.create(organisation=org, name=PROGRAMME_NAME)
    coordinator = User.objects.create_user(email=COORDINATOR_EMAIL, password=None)
    ProgrammeRole.objects.create(user=coordinator, programme=programme, role=ProgrammeRole.Role.COORDINATOR)
    campaign = services.create_campaign(programme, coordinator, title=TITLE)
    services.open_campaign(campaign, coordinator)
    questions = services.questions_of(campaign)
    rng = random.Random(seed)
    done = 0
    while done < responses:
        rows = []
        for _ in range(min(BATCH, responses - done)):
            a = synthetic_answers(questions, rng)
            rows.append(Response(campaign=campaign, language=rng.choice(("en", "sv", "lv", "lt")),
                                 country=a["country"][0], sector=a["sector"][0], size_band=a["size_band"][0],
                                 **bitmap.encode(campaign.bits, a)))
        Response.objects.bulk_create(rows)
        done += len(rows)
    services.close_campaign(campaign, coordinator)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE surveys_response")
    return campaign


def timed(fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> list[float]:
    """Milliseconds of ``fn`` over ``runs`` runs (``before`` runs untimed ahead of each)."""
    out = []
    for _ in range(runs):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - t0))
    return out


def line(title: str, ms: list[float]) -> str:
    return (f"{title:<58} median {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 95):7.1f} ms   "
            f"min {min(ms):7.1f}   max {max(ms):7.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="smecyber_bench_surveys")
    ap.add_argument("--fresh", action="store_true", help="drop and reload the database")
    ap.add_argument("--responses", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()

    data_dir = Path(f"/tmp/smecyber-bench-{args.db}")
    created = create_database(args.db, fresh=args.fresh)
    setup_django(platform_env(args.db, data_dir))
    if not (data_dir / "static" / "staticfiles.json").exists():  # the manifest the pages' {% static %} reads
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from smecyber.accounts.models import User
    from smecyber.reports.suppression import min_group
    from smecyber.stats import build_cube, protect
    from smecyber.surveys.models import Campaign
    from smecyber.surveys.statistics import (
        campaign_rows,
        campaign_statistics,
        forget_statistics,
        indicators_of,
        universe_of,
    )

    campaign = Campaign.objects.filter(title=TITLE, status=Campaign.Status.CLOSED).first()
    if campaign is None or campaign.responses.count() != args.responses:
        if not created and campaign is None and not args.fresh:
            raise SystemExit(f"database {args.db} holds other data: run with --fresh to reload it")
        if campaign is not None:
            raise SystemExit(f"database {args.db} holds another number of responses: run with --fresh")
        t0 = time.perf_counter()
        campaign = load(args.responses)
        print(f"loaded {args.responses:,} responses in {time.perf_counter() - t0:.0f} s")
    else:
        print(f"reusing the {args.responses:,} responses in database {args.db}")
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    universe = universe_of(campaign)
    cells = 1
    for values in universe.values():
        cells *= len(values) + 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    print(f"campaign {campaign.pk}: {len(indicators_of(campaign))} indicators, {cells:,} cells "
          f"({' × '.join(str(len(v) + 1) for v in universe.values())} incl. the margins); PostgreSQL jit={jit}; "
          f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1]}; minimum group {min_group()}")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator)
    url = reverse("campaign_overview", kwargs={"campaign_id": campaign.pk})
    filtered = f"{url}?country=LV&sector=all&size_band=small&indicator=measures.E_SECMVPN"

    def page(path: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(path)
            if response.status_code != 200 or b"<svg" not in response.content:
                raise SystemExit(f"{path}: HTTP {response.status_code} or no figures")
        return get

    def forget() -> None:
        forget_statistics(campaign)

    page(url)()  # imports, templates, catalog
    rows = campaign_rows(campaign)
    cube = build_cube(rows, universe, indicators_of(campaign))
    protected = protect(cube, min_group())
    shown, hidden = len(protected.shown_keys()), len(protected.hidden_keys())
    print(f"{len(rows):,} finest cells with responses; after protection {shown:,} cells shown, {hidden:,} hidden")
    size = len(client.get(url).content)
    print(f"overview page: {size / 1024:.0f} KiB of HTML\n")

    runs = args.runs
    results = {
        "overview page, cold (query + protect + render)": timed(page(url), runs, before=forget),
        "overview page, warm (figures from the cache)": timed(page(url), runs),
        "overview page, warm, filtered (LV × small, VPN)": timed(page(filtered), runs),
        "GROUP BY query alone (campaign_rows)": timed(lambda: campaign_rows(campaign), runs),
        "build_cube alone": timed(lambda: build_cube(rows, universe, indicators_of(campaign)), runs),
        "protect alone": timed(lambda: protect(cube, min_group()), runs),
        "campaign_statistics, cold (query + cube + protect + cache set)": timed(
            lambda: campaign_statistics(campaign), runs, before=forget),
        "campaign_statistics, warm (cache get)": timed(lambda: campaign_statistics(campaign), runs),
    }
    print(f"{runs} runs each, one request at a time in this process:")
    for title, ms in results.items():
        print("  " + line(title, ms))
    cold = percentile(results["overview page, cold (query + protect + render)"], 95)
    warm = percentile(results["overview page, warm (figures from the cache)"], 95)
    verdict = "met" if warm < TARGET_MS else "NOT met"
    print(f"\ntarget: overview page < {TARGET_MS:.0f} ms — warm p95 {warm:.0f} ms: {verdict}; cold p95 "
          f"{cold:.0f} ms ({'within' if cold < TARGET_MS else 'over'} the target; a cold page is once per closed "
          f"campaign and cache lifetime)")

    from smecyber.surveys import exports

    print("\nthe evidence pack from the cached figures (one run each):")
    for fmt in exports.FORMATS:
        t0 = time.perf_counter()
        body = exports.build(fmt, campaign, protected, "en")
        print(f"  {fmt:<5} {1000 * (time.perf_counter() - t0):7.0f} ms, {len(body) / 1024:,.0f} KiB")

    with connection.cursor() as cursor:
        sql, params = _rows_sql(campaign)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        plan = [r[0] for r in cursor.fetchall()]
    print("\nthe GROUP BY query's plan:")
    for text in plan[:14]:
        print("    " + text[:160])


def _rows_sql(campaign: object) -> tuple[str, tuple[object, ...]]:
    """The SQL ``campaign_rows`` sends, with its parameters in place (for EXPLAIN)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from smecyber.surveys.statistics import campaign_rows

    with CaptureQueriesContext(connection) as captured:
        campaign_rows(campaign)  # type: ignore[arg-type]
    return next(q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]), ()


if __name__ == "__main__":
    main()
