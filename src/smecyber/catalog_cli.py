"""`smecyber catalog export|check`: the whole catalog for review, and its validation.

    smecyber catalog check                         # exit 0 and a summary, or every problem on stderr and exit 1
    smecyber catalog export --format csv --output catalog.csv

``--questionnaire DIR`` checks or exports a copy of the questionnaire files being edited (the findings
catalog and ui.yaml are always the packaged ones).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_INPUT = 0, 1, 2


def add_parser(sub: Any) -> None:
    catalog = sub.add_parser(
        "catalog", help="export or check the catalog (questionnaire, findings, translations)",
        description="Review the catalog: export it with every text in every language, or validate it.",
    )
    actions = catalog.add_subparsers(dest="catalog_command", metavar="{export,check}", parser_class=type(catalog))
    actions.required = True
    export = actions.add_parser(
        "export", help="print the whole catalog as JSON or CSV",
        description="Print the questionnaire, recommendations, findings catalog, framework items and NIS2 "
                    "sectors with every text in en, sv, lv and lt. CSV is UTF-8 with a BOM (opens in Excel).",
    )
    export.add_argument("--format", choices=("json", "csv"), default="json", help="json (default) or csv")
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--questionnaire", metavar="DIR", help="export this questionnaire directory instead")
    check = actions.add_parser(
        "check", help="validate the catalog; exit 1 and list every problem",
        description="Validate the findings catalog, ui.yaml, methodology/texts.yaml, the questionnaire and its "
                    "coverage, the survey template with its official figures, and the incident catalog.",
    )
    check.add_argument("--questionnaire", metavar="DIR", help="check this questionnaire directory instead")


def run(args: argparse.Namespace) -> int:
    if args.catalog_command == "check":
        return _check(args.questionnaire)
    return _export(args.format, args.output, args.questionnaire)


def catalog_problems(questionnaire_dir: str | Path | None = None) -> tuple[list[str], str]:
    """Every problem of the catalog (one line each) and, when there is none, the summary line."""
    from .catalog import CatalogError, load_catalog
    from .catalog.questionnaire import QuestionnaireError, coverage_problems, load_questionnaire
    from .catalog.ui import load_ui

    problems: list[str] = []
    findings = None
    try:
        findings = load_catalog()
    except CatalogError as exc:
        problems += [f"findings/{p}" for p in exc.problems]
    from .methodology.texts import TEXTS_FILE

    for path, prefix in ((None, ""), (TEXTS_FILE, "methodology/")):  # ui.yaml, and texts.yaml in its format
        try:
            load_ui() if path is None else load_ui(path)
        except CatalogError as exc:
            problems += [f"{prefix}{p}" for p in exc.problems]
    problems += _survey_and_incident_problems()
    try:
        q = load_questionnaire(questionnaire_dir)
    except QuestionnaireError as exc:
        return problems + [f"questionnaire/{p}" for p in exc.problems], ""
    problems += coverage_problems(q)
    if problems or findings is None:
        return problems, ""
    from .catalog import SUPPORTED_LANGUAGES

    summary = (f"catalog OK: {len(q.questions)} questions, {len(q.recommendations)} recommendations, "
               f"{len(findings)} finding keys, {len(SUPPORTED_LANGUAGES)} languages")
    return problems, summary


def _survey_and_incident_problems() -> list[str]:
    """The survey template, its official figures and the incident catalog (issue 5), packaged data."""
    from .catalog.incident_catalog import IncidentCatalogError, load_incident_catalog
    from .catalog.survey_template import (
        OfficialFiguresError,
        SurveyTemplateError,
        load_official_figures,
        load_survey_template,
    )

    problems: list[str] = []
    try:
        load_survey_template()
        load_official_figures()
    except (SurveyTemplateError, OfficialFiguresError) as exc:
        problems += [f"surveys/{p}" for p in exc.problems]
    try:
        load_incident_catalog()
    except IncidentCatalogError as exc:
        problems += [f"incidents/{p}" for p in exc.problems]
    return problems


def _check(questionnaire_dir: str | None) -> int:
    if (bad := _bad_dir(questionnaire_dir)) is not None:
        return bad
    problems, summary = catalog_problems(questionnaire_dir)
    if problems:
        sys.stderr.write("".join(f"{p}\n" for p in problems))
        sys.stderr.write(f"catalog check: {len(problems)} problem(s)\n")
        return EXIT_PROBLEMS
    sys.stdout.write(summary + "\n")
    return EXIT_OK


def _export(fmt: str, output: str | None, questionnaire_dir: str | None) -> int:
    from .catalog import CatalogError, load_catalog
    from .catalog._textfiles import DataError
    from .catalog.export import catalog_document, catalog_rows, to_csv, to_json
    from .catalog.questionnaire import QuestionnaireError, load_questionnaire

    if (bad := _bad_dir(questionnaire_dir)) is not None:
        return bad
    try:
        findings = load_catalog()
        q = load_questionnaire(questionnaire_dir)
    except (CatalogError, QuestionnaireError) as exc:
        sys.stderr.write("".join(f"{p}\n" for p in exc.problems))
        sys.stderr.write("smecyber: error: the catalog is invalid; `smecyber catalog check` lists the problems\n")
        return EXIT_PROBLEMS
    if fmt == "csv":
        data = to_csv(catalog_rows(q, findings)).encode("utf-8-sig")  # the BOM tells Excel it is UTF-8
    else:
        try:  # the survey template and the incident catalog (issue 5) are always the packaged ones
            template, figures, incidents = _survey_and_incident_catalogs()
        except DataError as exc:
            sys.stderr.write("".join(f"{p}\n" for p in exc.problems))
            sys.stderr.write("smecyber: error: the catalog is invalid; `smecyber catalog check` lists the problems\n")
            return EXIT_PROBLEMS
        document = {**catalog_document(q, findings), "survey_template": template.as_definition(),
                    "official_figures": figures.as_dict(), "incident_catalog": incidents.as_dict()}
        data = to_json(document).encode("utf-8")
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            sys.stderr.write(f"smecyber: error: cannot write {output}: {exc.strerror or exc}\n")
            return EXIT_INPUT
        return EXIT_OK
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some test harnesses)
        sys.stdout.write(data.decode("utf-8"))
    else:  # bytes, so a BOM and non-ASCII text survive whatever the terminal's locale is
        buffer.write(data)
        buffer.flush()
    return EXIT_OK


def _survey_and_incident_catalogs() -> tuple[Any, Any, Any]:
    from .catalog.incident_catalog import load_incident_catalog
    from .catalog.survey_template import load_official_figures, load_survey_template

    return load_survey_template(), load_official_figures(), load_incident_catalog()


def _bad_dir(directory: str | None) -> int | None:
    if directory is not None and not Path(directory).is_dir():
        sys.stderr.write(f"smecyber: error: --questionnaire {directory!r} is not a directory\n")
        return EXIT_INPUT
    return None
