"""`smecyber assess --answers FILE.yaml [--json] [--lang en|sv|lv|lt] [--findings SCAN.json]`: score a
self-assessment answer file without the web platform (for advisors who work offline, and for tests).

Exit codes: 0 scored; 2 bad input (unreadable or invalid answer file, unknown question id, invalid answer or
profile value, unreadable findings file, bad option) — every problem on its own stderr line, no traceback.
The answer-file format and the scoring rules: docs/methodology.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_INPUT = 0, 2


class InputProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "assess", help="score a self-assessment answer file",
        description="Score a self-assessment answer file (YAML): maturity per area, NIS2 applicability, CRA "
                    "readiness and the action plan. Format: docs/methodology.md.",
    )
    p.add_argument("--answers", required=True, metavar="FILE.yaml", help="the answer file (profile + answers)")
    p.add_argument("--json", action="store_true", help="print the result as one JSON document")
    p.add_argument("--lang", default="en", help="language of the texts: en, sv, lv, lt")
    p.add_argument("--findings", metavar="SCAN.json",
                   help="merge the findings of `smecyber scan --json` output into the action plan")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="judge the CRA dates as of this day (default: today)")
    p.add_argument("--no-color", action="store_true", help="plain text output")


def read_scan_findings(path: str) -> list[Any]:
    """The findings of a `smecyber scan --json` document as PlanFindings (every status; the plan filters)."""
    from .methodology.answers_file import read_text_limited
    from .methodology.plan import PlanFinding

    try:
        data = json.loads(read_text_limited(Path(path), 200_000_000))
    except OSError as exc:
        raise InputProblems([f"{path}: cannot read the file: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise InputProblems([f"{path}: cannot read the file: it is not UTF-8 text"]) from None
    except json.JSONDecodeError as exc:
        raise InputProblems([f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"]) from None
    except RecursionError:  # thousands of nested [ or {
        raise InputProblems([f"{path}: not valid JSON: nested too deeply"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("domains"), list):
        raise InputProblems([f"{path}: not the output of `smecyber scan --json` (no 'domains' list)"])
    findings: list[PlanFinding] = []
    problems: list[str] = []
    for i, domain in enumerate(data["domains"], start=1):
        if not isinstance(domain, dict) or not isinstance(domain.get("findings", []), list):
            problems.append(f"{path}: domains[{i}]: must be an object with a 'findings' list")
            continue
        name = str(domain.get("display_name") or domain.get("domain") or "")
        for j, f in enumerate(domain.get("findings", []), start=1):
            if not isinstance(f, dict) or not all(isinstance(f.get(k), str) for k in ("key", "status", "severity")):
                problems.append(f"{path}: domains[{i}].findings[{j}]: needs key, status and severity strings")
                continue
            findings.append(PlanFinding(f["key"], f["status"], f["severity"], name))
    if problems:
        raise InputProblems(problems)
    return findings


def _parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputProblems([f"--date {value!r} is not a date like 2026-09-11"]) from None


def run(args: argparse.Namespace) -> int:
    from .catalog import SUPPORTED_LANGUAGES
    from .catalog.questionnaire import QuestionnaireError, load_questionnaire
    from .methodology.answers_file import AnswersFileError, load_answers_file
    from .methodology.assess import assess, result_document

    problems: list[str] = []
    if args.lang not in SUPPORTED_LANGUAGES:
        problems.append(f"language {args.lang!r} is not supported; choose from {', '.join(SUPPORTED_LANGUAGES)}")
    try:
        today = _parse_date(args.date)
    except InputProblems as exc:
        problems += exc.problems
    try:
        q = load_questionnaire()
    except QuestionnaireError as exc:
        return _fail([f"the packaged questionnaire is invalid: {p}" for p in exc.problems])
    try:
        profile, answers = load_answers_file(args.answers, q)
    except AnswersFileError as exc:
        problems += [f"{args.answers}: {p}" for p in exc.problems]
    findings: list[Any] = []
    if args.findings:
        try:
            findings = read_scan_findings(args.findings)
        except InputProblems as exc:
            problems += exc.problems
    if problems:
        return _fail(problems)
    result = assess(q, profile, answers, findings=findings, today=today)
    if args.json:
        sys.stdout.write(json.dumps(result_document(result, q, args.lang), ensure_ascii=False, indent=2) + "\n")
    else:
        from .methodology.text_output import render_assessment

        render_assessment(result, q, lang=args.lang, color=not args.no_color, findings_read=len(findings)
                          if args.findings else None)
    return EXIT_OK


def _fail(problems: list[str]) -> int:
    for problem in problems:
        sys.stderr.write(f"smecyber: error: {problem}\n")
    return EXIT_INPUT
