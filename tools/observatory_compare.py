"""Compare web.headers with the released MDN HTTP Observatory (npm 1.4.8) on loopback hosts.

Development tool, needs root (ports 80/443, /etc/hosts) and node with the Observatory installed::

    .venv/bin/python tools/observatory_compare.py [--observatory DIR] [--only NAME ...]

Every case is served by tests/checks/web/_webserver.py on 127.0.0.199; the case hosts are added to /etc/hosts for the
run and removed afterwards. Prints host, our score/grade, the Observatory's, and the tests that differ.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the web tests' server serves the cases

from obs_cases import CASES
from tests.checks.web._webserver import Case, ObsServer, make_pki

from smecyber.checks.config import ScanConfig
from smecyber.checks.context import DomainContext, ScanContext
from smecyber.checks.net import Resolved
from smecyber.checks.scoring import group_grade
from smecyber.checks.web.headers import check_headers

ADDRESS = "127.0.0.199"
OBS_DIR = Path("/tmp/obs/node_modules/@mdn/mdn-http-observatory")
MARK = "# smecyber observatory_compare"


@contextmanager
def hosts_entries(names: list[str]):
    original = Path("/etc/hosts").read_text()
    lines = [f"{ADDRESS} {n} {MARK}" for n in names]
    Path("/etc/hosts").write_text(original.rstrip("\n") + "\n" + "\n".join(lines) + "\n")
    try:
        yield
    finally:
        current = Path("/etc/hosts").read_text().splitlines()
        Path("/etc/hosts").write_text("\n".join(ln for ln in current if MARK not in ln) + "\n")


def reference(host: str, ca: Path, obs_dir: Path) -> dict[str, Any]:
    env = dict(os.environ, NODE_EXTRA_CA_CERTS=str(ca))
    out = subprocess.run(["node", "src/scan.js", host], cwd=obs_dir, env=env, capture_output=True, text=True,
                         timeout=120)
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        return {"error": (out.stdout + out.stderr)[-300:]}


async def ours(cases: list[Case], ca: Path) -> dict[str, dict[str, Any]]:
    config = ScanConfig.build([c.host for c in cases], nameservers=["127.0.0.1:5399"], ca_file=ca,
                              allow_loopback=True)
    results: dict[str, dict[str, Any]] = {}
    async with ScanContext(config) as sctx:
        async def fake_resolve(host: str) -> Resolved:  # the case hosts live on one loopback address
            return Resolved(host, [ADDRESS])

        sctx.resolver.resolve = fake_resolve  # type: ignore[method-assign]
        for c in cases:
            dctx = DomainContext(sctx, c.host)
            findings = await check_headers(dctx)
            grade = group_grade("web_headers", findings)
            if any(f.key == "web.headers.not_scored" for f in findings):
                grade = None  # the Observatory reports an error instead of a grade
            results[c.host] = {
                "score": grade.score if grade else None, "grade": grade.letter if grade else None,
                "tests": {f.evidence.get("test"): f.key.split(".", 2)[2].replace("_", "-") for f in findings},
            }
            dctx.close()
    return results


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--observatory", type=Path, default=OBS_DIR)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--json", type=Path, help="write the comparison as JSON here")
    args = ap.parse_args()
    cases = [c for c in CASES if not args.only or c.name in args.only]
    with tempfile.TemporaryDirectory() as tmp:
        pki = make_pki(Path(tmp))
        names = [c.host for c in cases] + [f"other-{c.host}" for c in cases]

        async def run() -> tuple[dict[str, Any], dict[str, Any]]:
            server = ObsServer(ADDRESS, cases, pki)
            await server.start()
            try:
                loop = asyncio.get_running_loop()
                refs = {}
                for c in cases:
                    refs[c.host] = await loop.run_in_executor(None, reference, c.host, pki[0], args.observatory)
                mine = await ours(cases, pki[0])
            finally:
                await server.stop()
            return refs, mine

        with hosts_entries(names):
            refs, mine = asyncio.run(run())
    rows, mismatches = [], 0
    print(f"{'host':44} {'ours':>10} {'observatory':>12}  differing tests")
    for c in cases:
        ref, me = refs[c.host], mine[c.host]
        ref_score = ref.get("scan", {}).get("score")
        ref_grade = ref.get("scan", {}).get("grade")
        ref_tests = {k: v.get("result") for k, v in ref.get("tests", {}).items()}
        diff = [f"{k}: ours {me['tests'].get(k)} / ref {v}" for k, v in ref_tests.items() if me["tests"].get(k) != v]
        same = (me["score"], me["grade"]) == (ref_score, ref_grade) and not diff
        mismatches += not same
        ours_txt = f"{me['score']}/{me['grade']}" if me["score"] is not None else "not scored"
        ref_txt = f"{ref_score}/{ref_grade}" if ref_score is not None else f"error: {ref.get('error', '')[:40]}"
        print(f"{c.host:44} {ours_txt:>10} {ref_txt:>12}  {'OK' if same else '; '.join(diff) or 'DIFF'}")
        rows.append({"host": c.host, "ours": me, "reference": {"score": ref_score, "grade": ref_grade,
                                                             "tests": ref_tests, "error": ref.get("error")}})
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    print(f"{len(cases) - mismatches}/{len(cases)} identical")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
