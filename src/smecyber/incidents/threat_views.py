"""The coordinator's threat statistics: the programme's frozen quarterly snapshots (threats.py), as a table and
a bar chart of the newest quarter. Nothing here reads an SME's incidents: only stored, suppressed snapshots."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from smecyber.accounts.permissions import programme_or_404
from smecyber.catalog.incident_catalog import IncidentCatalog
from smecyber.catalog.languages import normalize_language
from smecyber.reports import charts, formatting
from smecyber.reports.suppression import min_group

from . import threats
from .models import ThreatSnapshot
from .services import catalog


def _group_title(dim: str) -> str:
    return {"kinds": _("By type of incident"), "impacts": _("By impact"), "cost_bands": _("By cost")}[dim]


def _cell(count: int | None, population: int) -> dict[str, Any]:
    """One figure as text: "3 (15%)", or hidden."""
    if count is None:
        return {"hidden": True, "text": _("hidden"), "percent": None}
    pct = count / population if population else 0.0
    return {"hidden": False, "percent": pct * 100,
            "text": _("%(count)s (%(percent)s)") % {"count": formatting.count(count),
                                                    "percent": formatting.percent(pct)}}


def _label(cat: IncidentCatalog, dim: str, item_id: str, lang: str) -> str:
    entry = cat.group(dim).get(item_id)
    return entry.label(lang) if entry is not None else item_id  # an id the catalog no longer has


def _ids(snapshots: list[ThreatSnapshot], dim: str, cat: IncidentCatalog) -> list[str]:
    """The rows of a group: the catalog's ids in its order, then any id only an old snapshot has."""
    ids = list(cat.group(dim))
    for s in snapshots:
        ids += [i for i in s.figures.get(dim, {}) if i not in ids]
    return ids


def _table(snapshots: list[ThreatSnapshot], cat: IncidentCatalog, lang: str) -> list[dict[str, Any]]:
    """Groups of rows; each row has one cell per snapshot (oldest first)."""
    groups = [{"title": _("All incidents"), "rows": [{
        "label": _("At least one incident of any type"),
        "cells": [_cell(s.figures.get("any"), s.figures["population"]) for s in snapshots]}]}]
    for dim in threats.DIMENSIONS:
        rows = []
        for item_id in _ids(snapshots, dim, cat):
            cells = []
            for s in snapshots:
                values = s.figures.get(dim, {})
                cells.append(_cell(values[item_id], s.figures["population"]) if item_id in values
                             else {"hidden": True, "text": "–", "percent": None})
            rows.append({"label": _label(cat, dim, item_id, lang), "cells": cells})
        groups.append({"title": _group_title(dim), "rows": rows})
    return groups


def _chart(snapshot: ThreatSnapshot, cat: IncidentCatalog, lang: str) -> charts.Chart:
    population = snapshot.figures["population"]
    bars = []
    for item_id, count in snapshot.figures.get("kinds", {}).items():
        cell = _cell(count, population)
        bars.append(charts.Bar(_label(cat, "kinds", item_id, lang), cell["percent"], cell["text"]))
    shown = "; ".join(f"{b.label}: {b.display}" for b in bars)
    return charts.bar_chart(
        bars, chart_id="threats-kinds",
        title=_("SMEs that recorded each type of incident, %(quarter)s") % {"quarter": snapshot.period},
        description=_("Share of the programme's %(population)s SMEs with at least one incident of each type. "
                      "%(values)s.") % {"population": formatting.count(population), "values": shown},
        label_heading=_("Type of incident"), value_heading=_("SMEs (share)"))


@never_cache
@login_required
def programme_threats(request: HttpRequest, programme_id: object) -> HttpResponse:
    programme = programme_or_404(request.user, programme_id)  # type: ignore[arg-type]
    now = timezone.now()
    snapshots = list(reversed(threats.programme_snapshots(programme, now=now)))  # oldest first, for the table
    cat, lang = catalog(), normalize_language(translation.get_language())
    next_quarter, next_at = threats.next_ready(now)
    latest = snapshots[-1] if snapshots else None
    return render(request, "incidents/threats.html", {
        "programme": programme,
        "snapshots": snapshots,
        "groups": _table(snapshots, cat, lang) if snapshots else [],
        "chart": _chart(latest, cat, lang) if latest is not None else None,
        "latest": latest,
        "min_group": min_group(),
        "grace_days": threats.GRACE.days,
        "shown_quarters": threats.SHOWN_QUARTERS,
        "next_quarter": next_quarter.label,
        "next_at": next_at,
    })
