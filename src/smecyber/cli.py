"""`smecyber` command line: scan domains, run the lab, run the platform and operate it.

Exit codes (documented in the README):
  0  scan finished, no finding has status "fail"
  1  scan finished, at least one "fail" finding or a domain that could not be scanned (e.g. does not exist)
  2  bad input (invalid name, unreadable file, unreachable nameserver, bad option) — one line on stderr
  130 interrupted (Ctrl-C)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from .checks.errors import ScanInputError

EXIT_OK, EXIT_FAILURES, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"smecyber: error: {message}\n")
        raise SystemExit(EXIT_INPUT)


def _build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(prog="smecyber", description="What an attacker sees of your web, mail and DNS.")
    parser.add_argument("--version", action="version", version=f"smecyber {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    scan = sub.add_parser("scan", help="scan one or more domains", description="Scan domains and report.")
    scan.add_argument("domains", nargs="*", metavar="DOMAIN", help="domain names (Unicode names are accepted)")
    scan.add_argument("--input", metavar="FILE", help="read domains from FILE, one per line ('-' = stdin)")
    scan.add_argument("--json", action="store_true", help="print the JSON document (schema: smecyber schema)")
    scan.add_argument("--areas", default="web,mail,dns", help="comma-separated areas: web,mail,dns")
    scan.add_argument("--nameserver", action="append", metavar="HOST:PORT",
                      help="DNS resolver to ask (repeatable; default: /etc/resolv.conf)")
    scan.add_argument("--ca-file", metavar="PATH", help="trust these CA certificates instead of the system store")
    scan.add_argument("--allow-loopback", action="store_true", help="allow targets on 127.0.0.0/8 and ::1 (lab)")
    scan.add_argument("--timeout", type=float, metavar="SECONDS", help="timeout of one network operation (10)")
    scan.add_argument("--total-timeout", type=float, metavar="SECONDS", help="budget for one domain (120)")
    scan.add_argument("--concurrency", type=int, default=10, metavar="N", help="domains scanned at once (10)")
    scan.add_argument("--depth", choices=["deep", "sweep"],
                      help="deep: every check (default for one domain); sweep: fewer handshakes (default for many)")
    scan.add_argument("--dkim-selector", action="append", default=[], metavar="SELECTOR",
                      help="DKIM selector to try besides the common ones (repeatable)")
    scan.add_argument("--lang", default="en", help="report language: en, sv, lv, lt")
    scan.add_argument("--details", action="store_true", help="show every finding, not only the problems")
    scan.add_argument("--no-color", action="store_true", help="plain text output")

    lab = sub.add_parser("lab", help="start the lab of .test domains on loopback and wait")
    lab.add_argument("--base", type=int, default=None, help="address block 127.BASE.0.0/16 (advanced)")

    demo = sub.add_parser("demo", help="start the lab, scan all its domains, keep the lab running")
    demo.add_argument("--lang", default="en", help="report language: en, sv, lv, lt")
    demo.add_argument("--no-wait", action="store_true", help="stop the lab after the scan")

    sub.add_parser("schema", help="print the JSON Schema of `smecyber scan --json`")

    from . import assess_cli, catalog_cli, survey_cli

    catalog_cli.add_parser(sub)
    assess_cli.add_parser(sub)
    survey_cli.add_parser(sub)

    sub.add_parser("run", help="run the platform on this machine: web, worker, lab and demo data (make run)",
                   description="Start the web platform with SQLite, a Celery worker, the lab and demo data. "
                               "Environment: SMECYBER_DATA_DIR (./var), SMECYBER_BIND (127.0.0.1:8000).")
    sub.add_parser("manage", add_help=False, help="Django's manage.py (e.g. `smecyber manage migrate`)")
    sub.add_parser("worker", add_help=False, help="a Celery worker for production (arguments go to celery)")
    sub.add_parser("check-deploy", help="check the production settings; non-zero exit on any warning")
    return parser


PASSTHROUGH = ("manage", "worker")  # everything after these words goes to Django / Celery untouched


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in PASSTHROUGH:
        from . import platform_run

        return platform_run.manage(argv[1:]) if argv[0] == "manage" else platform_run.worker(argv[1:])
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "scan":
            return _cmd_scan(args)
        if args.command == "lab":
            return _cmd_lab(args)
        if args.command == "demo":
            return _cmd_demo(args)
        if args.command == "run":
            from .platform_run import run_platform

            return run_platform()
        if args.command == "check-deploy":
            from .deploy_check import check_deploy

            return check_deploy()
        if args.command == "catalog":
            from .catalog_cli import run as run_catalog

            return run_catalog(args)
        if args.command == "assess":
            from .assess_cli import run as run_assess

            return run_assess(args)
        if args.command == "survey":
            from .survey_cli import run as run_survey

            return run_survey(args)
        if args.command == "schema":
            from .report.json_report import schema_text

            sys.stdout.write(schema_text())
            return EXIT_OK
        parser.print_help()
        return EXIT_INPUT
    except ScanInputError as exc:
        sys.stderr.write(f"smecyber: error: {exc}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("smecyber: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def _read_domains(args: argparse.Namespace) -> list[str]:
    domains = list(args.domains)
    if args.input:
        try:
            text = sys.stdin.read() if args.input == "-" else Path(args.input).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise ScanInputError(f"cannot read domain list {args.input!r}: {reason}") from None
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                domains.append(line)
    if not domains:
        raise ScanInputError("no domain given; name one or more, or use --input FILE")
    return domains


def _cmd_scan(args: argparse.Namespace) -> int:
    from .catalog import SUPPORTED_LANGUAGES
    from .checks.config import ScanConfig
    from .checks.engine import preflight, scan
    from .checks.targets import normalize_domain
    from .report.json_report import scan_document
    from .report.text_report import ProgressBar, render_text

    if args.lang not in SUPPORTED_LANGUAGES:
        raise ScanInputError(f"language {args.lang!r} is not supported; choose from {', '.join(SUPPORTED_LANGUAGES)}")
    raw = _read_domains(args)
    config = ScanConfig.build(
        raw, nameservers=args.nameserver, ca_file=args.ca_file, timeout=args.timeout,
        total_timeout=args.total_timeout, concurrency=args.concurrency, areas=args.areas,
        allow_loopback=args.allow_loopback, depth=args.depth, dkim_selectors=args.dkim_selector,
    )
    inputs = {normalize_domain(d): d.strip() for d in raw}

    async def go() -> tuple[list, dict[str, int]]:
        await preflight(config)
        with ProgressBar(len(config.domains), enabled=not args.json and len(config.domains) > 1) as bar:
            return await scan(config, bar.advance, inputs=inputs)

    started = time.time()
    results, _counters = asyncio.run(go())
    finished = time.time()
    if args.json:
        import json

        doc = scan_document(config, results, started, finished, args.lang)
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        render_text(results, config, lang=args.lang, details=args.details, color=not args.no_color,
                    elapsed=finished - started)
    failed = any(r.error or any(f.status == "fail" for f in r.findings) for r in results)
    return EXIT_FAILURES if failed else EXIT_OK


def _cmd_lab(args: argparse.Namespace) -> int:
    from .lab.runner import run_forever

    kwargs = {} if args.base is None else {"base": args.base}
    run_forever(**kwargs)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(lang=args.lang, wait=not args.no_wait)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
