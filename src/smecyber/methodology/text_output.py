"""The readable terminal output of `smecyber assess`: maturity with the answers that lowered it, the peer
comparison, NIS2 and (when it applies) CRA with their reasoning, and the first items of the action plan."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from smecyber.catalog import ui_text
from smecyber.catalog.questionnaire_model import Questionnaire
from smecyber.report.text_report import make_console

from .assess import AssessmentResult
from .plan import item_text
from .texts import DECIMAL_COMMA, reason_text, text

TOP_ITEMS = 10
WHY_LENGTH = 110
SCOPE_STYLE = {"out": "green", "important": "yellow", "essential": "bold red"}


def _level_style(level: int | None) -> str:
    return {None: "dim", 0: "bold red", 1: "red", 2: "yellow", 3: "green", 4: "bold green"}.get(level, "white")


def _decimal(value: float, lang: str) -> str:
    """One decimal, with a decimal comma where the language writes one."""
    shown = f"{value:.1f}"
    return shown.replace(".", ",") if lang in DECIMAL_COMMA else shown


def short(sentence: str, limit: int = WHY_LENGTH) -> str:
    """The first sentence of ``sentence``, cut at a word before ``limit`` characters."""
    first = sentence.strip().split("\n", 1)[0]
    for end in (". ", "! ", "? "):
        if end in first:
            first = first.split(end, 1)[0] + end.strip()
            break
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def render_assessment(result: AssessmentResult, q: Questionnaire, *, lang: str, color: bool = True,
                      findings_read: int | None = None, console: Console | None = None) -> None:
    console = console or make_console(color)
    p = result.profile
    size = text(f"size.{p.size_band}", lang)
    header = text("cli.profile", lang, country=p.country or "—", sector=p.sector or "—", size=size)
    console.print(Panel(Text(header), title=f"[bold]{text('cli.title', lang)}[/bold]", expand=False))
    _maturity(result, q, lang, console)
    _heading(console, text("cli.benchmark", lang))
    b = result.benchmark
    console.print(text(b.reason, lang, **b.reason_params()))
    if b.shown:
        console.print(text("benchmark.position", lang, percentile=b.percentile))
    _nis2(result, q, lang, console)
    if result.cra.applies:
        _cra(result, q, lang, console)
    _plan(result, q, lang, console, findings_read)


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold underline"))


def _bullets(console: Console, lines: list[str], last_dim: bool = False) -> None:
    for i, line in enumerate(lines):
        style = "dim italic" if last_dim and i == len(lines) - 1 else ""
        console.print(Text("• " + line, style=style))


def _score_text(score: float | None, level: int | None, lang: str) -> tuple[Text, Text]:
    if score is None:
        return Text("–", style="dim"), Text(text("cli.no_score", lang), style="dim")
    return Text(_decimal(score, lang), style=_level_style(level)), Text(text(f"level.{level}", lang),
                                                                 style=_level_style(level))


def _maturity(result: AssessmentResult, q: Questionnaire, lang: str, console: Console) -> None:
    m = result.maturity
    _heading(console, text("cli.maturity", lang))
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column(text("cli.area", lang))
    table.add_column(text("cli.score", lang), justify="right", no_wrap=True)
    table.add_column(text("cli.level", lang))
    table.add_column(text("cli.answered", lang), justify="right", no_wrap=True)
    for area in m.areas:
        score, level = _score_text(area.score, area.level, lang)
        table.add_row(q.areas[area.area].text(lang).title, score, level, f"{area.answered}/{area.applicable}")
    score, level = _score_text(m.overall, m.level, lang)
    table.add_row(Text(text("cli.overall", lang), style="bold"), score, level, f"{m.answered}/{m.applicable}",
                  end_section=True)
    console.print(table)
    if not m.complete:
        console.print(Text(text("cli.incomplete", lang, answered=m.answered, applicable=m.applicable), style="yellow"))
    for area in m.areas:
        lowered = [mv for mv in area.moves if mv.lost > 0]
        if not lowered:
            continue
        console.print(Text(f"{q.areas[area.area].text(lang).title} — {text('cli.lowered_by', lang)}:", style="bold"))
        for mv in lowered:
            question = q.questions[mv.question]
            step = q.scale_of(question).step(mv.answer)
            label = step.text(lang).label if step else mv.answer
            line = text("cli.move", lang, lost=_decimal(mv.lost, lang),
                        question=question.text(lang).question, answer=label)
            console.print(Text("  " + line))


def _nis2(result: AssessmentResult, q: Questionnaire, lang: str, console: Console) -> None:
    nis2 = result.nis2
    _heading(console, text("cli.nis2", lang))
    console.print(Text(text(f"nis2.scope.{nis2.scope}", lang), style=SCOPE_STYLE[nis2.scope]))
    _bullets(console, [reason_text(r, lang, q) for r in nis2.reasons], last_dim=True)


def _cra(result: AssessmentResult, q: Questionnaire, lang: str, console: Console) -> None:
    cra = result.cra
    _heading(console, text("cli.cra", lang))
    _bullets(console, [reason_text(r, lang, q) for r in cra.reasons], last_dim=True)
    for ms in cra.milestones:
        mark = Text(text("cli.in_force" if ms.in_force else "cli.upcoming", lang),
                    style="bold" if ms.in_force else "cyan")
        console.print(Text.assemble(f"  {ms.date.isoformat()}  ", mark, "  ", text(ms.key, lang)))
    if cra.readiness is None:
        console.print(Text(text("cli.readiness_none", lang), style="yellow"))
        return
    console.print(Text(text("cli.readiness", lang, percent=round(cra.readiness * 100)), style="bold"))
    weakest = sorted((it for it in cra.items if it.score is not None and it.score < 1),
                     key=lambda it: (it.score or 0.0, it.id))
    if weakest:
        console.print(Text(text("cli.weakest", lang) + ":", style="bold"))
        titles = q.frameworks.get("cra", {})
        for it in weakest[:5]:
            title = titles[it.id].title(lang) if it.id in titles else it.id
            console.print(Text(f"  {round((it.score or 0) * 100):>3}%  {it.id}  {title}"))


def _plan(result: AssessmentResult, q: Questionnaire, lang: str, console: Console, findings_read: int | None) -> None:
    _heading(console, text("cli.plan", lang))
    if findings_read is not None:
        console.print(Text(text("cli.findings_read", lang, count=findings_read), style="dim"))
    if not result.plan:
        console.print(Text(text("cli.plan_empty", lang), style="green"))
        return
    table = Table(box=box.SIMPLE_HEAD, show_lines=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(text("cli.what", lang), ratio=3)
    table.add_column(text("cli.why", lang), ratio=4)
    table.add_column(text("cli.effort", lang), ratio=1)
    table.add_column(text("cli.owner", lang), ratio=1)
    table.add_column(text("cli.priority", lang), justify="right", no_wrap=True)
    for rank, item in enumerate(result.plan[:TOP_ITEMS], start=1):
        title, why, _, _ = item_text(q, item, lang)
        table.add_row(str(rank), Text(title, style="bold"), Text(short(why)),
                      ui_text(f"effort.{item.effort}", lang), text(f"owner.{item.owner}", lang),
                      _decimal(item.priority, lang))
    console.print(table)
    console.print(Text(text("cli.plan_total", lang, count=len(result.plan)), style="dim"))
