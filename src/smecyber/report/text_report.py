"""The readable terminal report: grades, problems, top fixes with why and how, in the user's language."""

from __future__ import annotations

import sys
from types import TracebackType

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ..catalog import load_catalog, ui_text
from ..checks.config import ScanConfig
from ..checks.model import DomainResult, Finding, Grade, Status
from ..checks.targets import unicode_name
from .priorities import top_fixes

STATUS_STYLE = {
    Status.PASS: ("✔", "green"),
    Status.INFO: ("i", "blue"),
    Status.WARN: ("!", "yellow"),
    Status.FAIL: ("✘", "bold red"),
    Status.ERROR: ("?", "magenta"),
}
GRADE_ORDER = ("overall", "web_headers", "tls", "web", "mail", "dns")
# Beyond this many domains the report is a summary table; details come with --details or --json.
DETAIL_LIMIT = 3


def _letter_style(letter: str) -> str:
    return {"A": "green", "B": "green", "C": "yellow", "D": "red", "F": "bold red"}.get(letter[0], "white")


class ProgressBar:
    """A progress bar on stderr for many domains; silent when stderr is not a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Progress | None = None
        self._task: int | None = None
        self.total = total

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("scanning", total=self.total)
        return self

    def advance(self, result: DomainResult) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, description=result.domain[:40])

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()


def make_console(color: bool = True) -> Console:
    """A console for the report; piped output gets a wide page instead of rich's 80 columns, so domain
    names and grade columns are never cut."""
    width = None if sys.stdout.isatty() else 160
    return Console(no_color=not color, highlight=False, soft_wrap=False, width=width)


def _grade_text(grade: Grade | None, *, short: bool = False) -> Text:
    if grade is None:
        return Text("–", style="dim")
    text = grade.letter if short else f"{grade.letter} ({grade.score})"
    return Text(text, style=_letter_style(grade.letter))


def render_text(
    results: list[DomainResult], config: ScanConfig, *, lang: str, details: bool, color: bool, elapsed: float,
    console: Console | None = None,
) -> None:
    console = console or make_console(color)
    t = lambda key, **kw: ui_text(key, lang, **kw)  # noqa: E731
    if len(results) > DETAIL_LIMIT and not details:
        _summary_table(results, console, t)
    else:
        for result in results:
            _domain_report(result, console, lang, details, t)
    console.print(
        t("report.scan_done", count=len(results), seconds=f"{elapsed:.1f}",
          depth=t(f"report.depth_{config.depth.value}"))
    )


def _summary_table(results: list[DomainResult], console: Console, t) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=t("report.summary"), show_lines=False, box=box.SIMPLE_HEAD)
    table.add_column(t("report.domain"), no_wrap=True)
    for key in GRADE_ORDER:
        table.add_column(t(f"group_short.{key}"), justify="center", no_wrap=True)
    table.add_column(t("status.fail"), justify="right", no_wrap=True)
    table.add_column(t("status.warn"), justify="right", no_wrap=True)
    for r in results:
        fails = sum(1 for f in r.findings if f.status is Status.FAIL)
        warns = sum(1 for f in r.findings if f.status is Status.WARN)
        table.add_row(unicode_name(r.domain), *(_grade_text(r.grades.get(k), short=True) for k in GRADE_ORDER),
                      str(fails), str(warns))
    console.print(table)


def _domain_report(result: DomainResult, console: Console, lang: str, details: bool, t) -> None:  # type: ignore[no-untyped-def]
    catalog = load_catalog()
    grades = Table.grid(padding=(0, 2))
    grades.add_row(*(Text(t(f"group.{k}"), style="bold") for k in GRADE_ORDER if k in result.grades))
    grades.add_row(*(_grade_text(result.grades[k]) for k in GRADE_ORDER if k in result.grades))
    console.print(Panel(grades, title=f"[bold]{unicode_name(result.domain)}[/bold]", expand=False))
    if result.error:
        console.print(Text(t("report.not_scanned", domain=unicode_name(result.domain), error=result.error),
                           style="bold red"))

    shown = [f for f in result.findings if details or f.status in (Status.FAIL, Status.WARN, Status.ERROR)]
    if shown:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("")
        table.add_column(t("report.check"))
        table.add_column(t("report.findings"))
        table.add_column(t("report.points"), justify="right")
        for f in shown:
            icon, style = STATUS_STYLE[f.status]
            title = catalog.entry(f.key, lang).title
            if f.subject:
                title = f"{title} ({f.subject})"
            table.add_row(Text(icon, style=style), f.check, title, str(f.points) if f.points else "")
        console.print(table)
    else:
        console.print(Text(t("report.no_findings"), style="green"))

    fixes = top_fixes(result)
    if fixes:
        console.print(Text(t("report.top_fixes"), style="bold underline"))
        for n, fix in enumerate(fixes, 1):
            _print_fix(n, fix.finding, fix.effort, console, lang, t)
    console.print()


def _print_fix(n: int, f: Finding, effort: str, console: Console, lang: str, t) -> None:  # type: ignore[no-untyped-def]
    entry = load_catalog().entry(f.key, lang)
    console.print(Text(f"{n}. {entry.title}", style="bold"))
    console.print(Text(f"   {t('report.why')}: ", style="bold").append(entry.why.strip(), style="none"))
    console.print(Text(f"   {t('report.how')}: ", style="bold").append(entry.how.strip(), style="none"))
    console.print(Text(f"   {t('report.effort')}: {t(f'effort.{effort}')}", style="dim"))
    if f.evidence:
        shown = ", ".join(f"{k}={v}" for k, v in list(f.evidence.items())[:3])
        console.print(Text(f"   {t('report.evidence')}: {shown[:200]}", style="dim"))
