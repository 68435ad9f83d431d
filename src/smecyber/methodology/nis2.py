"""Is the SME likely covered by NIS2, and as an essential or an important entity?

Sources: Directive (EU) 2022/2555 (NIS2) Art. 2 (scope), Art. 3 (essential and important entities) and
Annexes I and II (sectors); Commission Recommendation 2003/361/EC Annex Art. 2 (size caps) and Art. 6
(partner and linked enterprises count). The answer is guidance with its reasoning, never a legal opinion:
every result ends with the ``nis2.disclaimer`` reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from smecyber.catalog.questionnaire_model import Nis2Sector, Questionnaire

from .profile import Profile
from .texts import Reason

__all__ = ["CAPS", "Nis2Result", "Reason", "SizeResult", "assess_nis2", "enterprise_size"]

# Recommendation 2003/361/EC Annex Art. 2: (staff below, turnover at most, balance sheet at most), EUR million
CAPS: dict[str, tuple[int, float, float]] = {
    "micro": (10, 2.0, 2.0),
    "small": (50, 10.0, 10.0),
    "medium": (250, 50.0, 43.0),
}
SCOPES = ("out", "important", "essential")


@dataclass(frozen=True, slots=True)
class SizeResult:
    category: str  # micro | small | medium | large
    estimated: bool  # True: from the size band the SME chose, not from its figures
    basis: str = "figures"  # figures | headcount | band


def _financial_within(turnover: float | None, balance: float | None, turnover_cap: float, balance_cap: float) -> bool:
    """The financial test of Art. 2: turnover OR balance sheet within its cap (a missing figure cannot pass)."""
    return (turnover is not None and turnover <= turnover_cap) or (balance is not None and balance <= balance_cap)


def enterprise_size(employees: int | None, turnover_meur: float | None, balance_sheet_meur: float | None,
                    size_band: str) -> SizeResult:
    """The enterprise category of Recommendation 2003/361/EC: staff below the cap AND (turnover OR balance sheet
    within its cap). Without the headcount or without both financial figures, the SME's own size band is used
    (estimated) — except that 250 or more staff is large whatever the money."""
    if employees is not None and employees >= CAPS["medium"][0]:
        return SizeResult("large", False, "headcount" if turnover_meur is None and balance_sheet_meur is None
                          else "figures")
    if employees is None or (turnover_meur is None and balance_sheet_meur is None):
        return SizeResult(size_band if size_band in (*CAPS, "large") else "micro", True, "band")
    for category, (staff_cap, turnover_cap, balance_cap) in CAPS.items():
        if employees < staff_cap and _financial_within(turnover_meur, balance_sheet_meur, turnover_cap, balance_cap):
            return SizeResult(category, False)
    return SizeResult("large", False)


@dataclass(frozen=True, slots=True)
class Nis2Result:
    scope: str  # out | important | essential
    size: str  # the enterprise category used
    sector: str  # NIS2 sector id, "" = none
    reasons: tuple[Reason, ...]
    size_estimated: bool = False
    annex: str = ""  # "I", "II" or ""


def _size_reason(profile: Profile, size: SizeResult) -> Reason:
    if size.basis == "band":
        return Reason("nis2.size_estimated", {"size": size.category})
    if size.basis == "headcount":
        return Reason("nis2.size_headcount", {"size": size.category, "employees": str(profile.employees)})
    params = {"size": size.category, "employees": str(profile.employees)}
    # one sentence per set of given figures: a missing figure is left out, not shown as a blank
    if profile.turnover_meur is None:
        return Reason("nis2.size_figures_balance", {**params, "balance": str(profile.balance_sheet_meur)})
    if profile.balance_sheet_meur is None:
        return Reason("nis2.size_figures_turnover", {**params, "turnover": str(profile.turnover_meur)})
    return Reason("nis2.size_figures", {**params, "turnover": str(profile.turnover_meur),
                                        "balance": str(profile.balance_sheet_meur)})


def _scope(sector: Nis2Sector, size: str) -> tuple[str, Reason]:
    large, medium_or_large = size == "large", size in ("medium", "large")
    rule = sector.size_rule
    if rule == "essential_any_size":
        return "essential", Reason("nis2.essential_any_size")
    if rule == "any_size":
        if large:
            return "essential", Reason("nis2.essential_large", {"size": size})
        return "important", Reason("nis2.important_any_size", {"size": size})
    if rule == "essential_from_medium":
        if medium_or_large:
            return "essential", Reason("nis2.essential_from_medium", {"size": size})
        return "important", Reason("nis2.important_small_telecom", {"size": size})
    # standard: Art. 2(1) — from medium size; Art. 3(1)(a) — large in Annex I = essential
    if not medium_or_large:
        staff_cap, money_cap, _ = CAPS[size]
        return "out", Reason("nis2.out_size", {"size": size, "staff_cap": str(staff_cap),
                                               "money_cap": str(money_cap)})
    if large and sector.annex == "I":
        return "essential", Reason("nis2.essential_large", {"size": size})
    if large:
        return "important", Reason("nis2.important_large_annex_ii", {"size": size})
    return "important", Reason("nis2.important_medium", {"size": size, "annex": sector.annex})


def assess_nis2(profile: Profile, q: Questionnaire) -> Nis2Result:
    size = enterprise_size(profile.employees, profile.turnover_meur, profile.balance_sheet_meur, profile.size_band)
    sector = q.nis2_sectors.get(profile.nis2_sector) if profile.nis2_sector else None
    reasons: list[Reason] = []
    if sector is None:
        reasons += [Reason("nis2.sector_none"), _size_reason(profile, size), Reason("nis2.linked_enterprises"),
                    Reason("nis2.out_no_sector"), Reason("nis2.designation_no_sector"), Reason("nis2.supplier")]
        scope = "out"
    else:
        annex_key = "nis2.sector_annex_i" if sector.annex == "I" else "nis2.sector_annex_ii"
        reasons += [Reason(annex_key, {"sector": sector.id}), _size_reason(profile, size),
                    Reason("nis2.linked_enterprises")]
        scope, why = _scope(sector, size.category)
        reasons.append(why)
        if scope == "out":
            reasons += [Reason("nis2.designation_sector"), Reason("nis2.supplier")]
        else:
            reasons.append(Reason("nis2.duties"))
    reasons.append(Reason("nis2.disclaimer"))
    return Nis2Result(scope, size.category, sector.id if sector else "", tuple(reasons), size.estimated,
                      sector.annex if sector else "")
