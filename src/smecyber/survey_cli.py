"""`smecyber survey list|export`: the needs-survey campaigns and a closed campaign's evidence pack.

    smecyber survey list
    smecyber survey export CAMPAIGN --format csv|xlsx|pdf [--output FILE] [--lang en|sv|lv|lt]

Runs with the platform's settings (like `smecyber manage`). The evidence pack is built by the same code as the
web download (surveys/exports.py) from the same protected figures, and only for a closed campaign. Exit codes:
0 done; 2 bad input (unknown campaign, a campaign that is not closed, a bad option, a binary format for a
terminal, an unwritable file) — one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, BinaryIO

EXIT_OK, EXIT_INPUT = 0, 2
FORMATS = ("csv", "xlsx", "pdf")
LANGUAGES = ("en", "sv", "lv", "lt")


class CliInputError(Exception):
    pass


def add_parser(sub: Any) -> None:
    survey = sub.add_parser(
        "survey", help="list needs-survey campaigns, export a closed one's evidence pack",
        description="Needs-survey campaigns of the platform (the platform's settings: SMECYBER_* environment).",
    )
    actions = survey.add_subparsers(dest="survey_command", metavar="{list,export}", parser_class=type(survey))
    actions.required = True
    actions.add_parser("list", help="every campaign: id, programme, title, status, responses",
                       description="Every campaign, one per line: id, programme, title, status, responses.")
    export = actions.add_parser(
        "export", help="the evidence pack of a closed campaign (CSV, XLSX or PDF)",
        description="Write the evidence pack of a closed campaign: the protected figures with the method, the "
                    "questions' wording, the sample sizes and the suppression rule. Binary formats (xlsx, pdf) "
                    "need --output or a redirected standard output.",
    )
    export.add_argument("campaign", metavar="CAMPAIGN", help="the campaign's id (see `smecyber survey list`)")
    export.add_argument("--format", required=True, choices=FORMATS, help="csv, xlsx or pdf")
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--lang", default="en", choices=LANGUAGES, help="language of the texts (en)")


def setup_django() -> None:
    """Django with the platform's settings, as `smecyber manage` runs it (once per process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smecyber.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def run(args: argparse.Namespace) -> int:
    try:
        setup_django()
        if args.survey_command == "list":
            return _list(sys.stdout)
        return _export(args)
    except CliInputError as exc:
        sys.stderr.write(f"smecyber: error: {exc}\n")
        return EXIT_INPUT


def _list(out: Any) -> int:
    from django.db.models import Count

    from .surveys.models import Campaign

    campaigns = (Campaign.objects.select_related("programme").annotate(n=Count("responses"))
                 .order_by("programme__name", "-created_at"))
    for c in campaigns:
        out.write(f"{c.pk}\t{c.programme.name}\t{c.title}\t{c.status}\t{c.n}\n")
    return EXIT_OK


def _campaign(value: str) -> Any:
    import uuid

    from .surveys.models import Campaign

    try:
        pk = uuid.UUID(value)
    except ValueError:
        raise CliInputError(f"{value!r} is not a campaign id (see `smecyber survey list`)") from None
    campaign = Campaign.objects.select_related("programme").filter(pk=pk).first()
    if campaign is None:
        raise CliInputError(f"no campaign {value} (see `smecyber survey list`)")
    return campaign


def _target(output: str | None, fmt: str) -> tuple[BinaryIO | None, Path | None]:
    if output and output != "-":
        return None, Path(output)
    if fmt != "csv" and sys.stdout.isatty():
        raise CliInputError(f"{fmt} is a binary format: give --output FILE or redirect the standard output")
    return sys.stdout.buffer, None


def _export(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from .accounts import audit
    from .accounts.models import AuditEvent
    from .surveys import exports
    from .surveys.statistics import campaign_statistics

    campaign = _campaign(args.campaign)
    protected = campaign_statistics(campaign)
    if protected is None:
        raise CliInputError(f"campaign {campaign.pk} is {campaign.status}: the evidence pack is made only for a "
                            f"closed campaign (its figures are final)")
    stream, path = _target(args.output, args.format)
    body = exports.build(args.format, campaign, protected, args.lang, now=timezone.now())
    if path is not None:
        try:
            path.write_bytes(body)
        except OSError as exc:
            raise CliInputError(f"cannot write {path}: {exc.strerror or exc}") from None
    else:
        assert stream is not None
        stream.write(body)
        stream.flush()
    audit.record(AuditEvent.Action.EXPORT, actor=None, programme=campaign.programme, target=campaign.title,
                 detail={"what": "survey evidence pack", "format": args.format, "campaign": str(campaign.pk),
                         "via": "command line"})
    return EXIT_OK
