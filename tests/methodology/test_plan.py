"""The one action plan: answers and findings merged, de-duplicated and ranked."""

from __future__ import annotations

import pytest

from smecyber.catalog.questionnaire_model import Condition
from smecyber.methodology.plan import (
    PlanFinding,
    build_plan,
    finding_owner,
    item_text,
    likelihood_for,
    merge_key_for_finding,
)
from smecyber.methodology.profile import Profile

from .builders import build, question, rec, sample

MICRO = Profile(country="LV", sector="G", size_band="micro")


def _by_key(items):  # type: ignore[no-untyped-def]
    return {i.key: i for i in items}


def test_dmarc_finding_and_weak_answer_are_one_item() -> None:
    q = sample()
    findings = [PlanFinding("mail.dmarc.missing", "fail", "high", "shop.lv"),
                PlanFinding("mail.spf.softfail_all", "warn", "low", "shop.lv")]
    plan = build_plan(q, MICRO, {"email_web.anti_spoofing": "0"}, findings)
    spoofing = [i for i in plan if i.key == "rec.anti_spoofing"]
    assert len(spoofing) == 1 and len(plan) == 1
    item = spoofing[0]
    assert item.kind == "recommendation" and item.checked_by_scans
    assert item.questions == (("email_web.anti_spoofing", "0"),)
    assert item.findings == (("mail.dmarc.missing", "fail", "shop.lv"), ("mail.spf.softfail_all", "warn", "shop.lv"))
    assert item.gap == 1.0 and item.owner == "it_provider"
    # high (5 is critical, 4 high) * medium likelihood 2 * gap 1 / low effort 1
    assert item.severity == "high" and item.priority == 8.0


def test_finding_alone_makes_the_recommendation_an_item() -> None:
    q = sample()
    plan = build_plan(q, MICRO, {"email_web.anti_spoofing": "1"},
                      [PlanFinding("mail.dmarc.policy_none", "warn", "medium", "shop.lv")])
    item = _by_key(plan)["rec.anti_spoofing"]
    assert item.questions == () and item.gap == 0.5
    assert item.severity == "high"  # the recommendation's, higher than the finding's
    assert item.priority == 4 * 2 * 0.5 / 1


def test_a_finding_severity_above_the_recommendation_raises_it() -> None:
    q = build([question("email_web.anti_spoofing", recs=["rec.spoof"])],
              [rec("rec.spoof", severity="low", findings=["mail.dmarc."])])
    item = build_plan(q, MICRO, {}, [PlanFinding("mail.dmarc.missing", "fail", "critical", "a.lv")])[0]
    assert item.severity == "critical" and item.priority == 5 * 2 * 1.0 / 1


def test_gap_and_priority_formula() -> None:
    q = sample()
    answers = {"backups.offline_copy": "0.25", "backups.restore_test": "0.5", "governance.responsible": "0.5"}
    items = _by_key(build_plan(q, MICRO, answers, []))
    backups = items["rec.backups"]
    assert backups.gap == 0.75  # max(1 - 0.25, 1 - 0.5)
    assert backups.questions == (("backups.offline_copy", "0.25"), ("backups.restore_test", "0.5"))
    assert backups.likelihood == 2 and backups.effort == "medium"
    assert backups.priority == 5 * 2 * 0.75 / 2  # critical * medium * gap / medium effort
    assert not backups.checked_by_scans
    responsible = items["rec.responsible"]
    assert responsible.priority == 3 * 2 * 0.5 / 1
    # personal data raises the backups likelihood one step
    raised = _by_key(build_plan(q, Profile(size_band="micro", personal_data=frozenset({"patients"})), answers, []))
    assert raised["rec.backups"].likelihood == 3 and raised["rec.backups"].priority == 5 * 3 * 0.75 / 2


def test_likelihood_raise_is_capped_at_high() -> None:
    raises = [Condition(size_band=frozenset({"micro"})), Condition(personal_data=False), Condition(nis2_sector=False)]
    q = build([question("access.mfa", recs=["rec.low"])],
              [rec("rec.low", likelihood="low", raise_=raises), rec("rec.high", likelihood="high", raise_=raises)])
    assert likelihood_for(q, "rec.low", MICRO) == 3  # 1 + 3 raised, capped
    assert likelihood_for(q, "rec.high", MICRO) == 3
    assert likelihood_for(q, "rec.low", Profile(size_band="small", personal_data=frozenset({"pupils"}))) == 2


def test_full_na_and_inapplicable_answers_make_no_item() -> None:
    q = sample()
    answers = {"backups.offline_copy": "1", "backups.restore_test": "na", "development.sbom": "0",
               "governance.policy": "0"}
    assert build_plan(q, MICRO, answers, []) == []


def test_unmatched_findings_with_the_same_title_are_one_item() -> None:
    q = sample()
    findings = [PlanFinding("web.hsts.missing", "fail", "medium", "a.lv"),
                PlanFinding("web.headers.hsts_not_implemented", "fail", "medium", "b.lv"),
                PlanFinding("web.redirect.missing", "warn", "medium", "a.lv")]
    plan = build_plan(q, MICRO, {}, findings)
    keys = [i.key for i in plan]
    assert keys == ["finding:web.headers.hsts_not_implemented", "finding:web.headers.redirection_missing"]
    hsts = plan[0]
    assert hsts.kind == "finding" and hsts.checked_by_scans and hsts.owner == "web_host"
    assert {f[0] for f in hsts.findings} == {"web.hsts.missing", "web.headers.hsts_not_implemented"}
    assert hsts.likelihood == 2 and hsts.effort == "low" and hsts.priority == 3 * 2 * 1.0 / 1
    assert plan[1].gap == 0.5


def test_pass_info_and_error_findings_are_ignored() -> None:
    q = sample()
    findings = [PlanFinding("mail.dmarc.ok", "pass", "none", "a.lv"),
                PlanFinding("web.hsts.missing", "info", "medium", "a.lv"),
                PlanFinding("mail.dmarc.lookup_failed", "error", "low", "a.lv")]
    assert build_plan(q, MICRO, {}, findings) == []


def test_unknown_finding_key_still_shows() -> None:
    q = sample()
    plan = build_plan(q, MICRO, {}, [PlanFinding("dns.future_check.bad", "fail", "high", "a.lv")])
    assert [i.key for i in plan] == ["finding:dns.future_check.bad"]
    assert plan[0].owner == "it_provider" and plan[0].effort == "medium"
    assert item_text(q, plan[0], "en") == ("dns.future_check.bad", "", "", ())


def test_merge_key_and_owner() -> None:
    q = sample()
    assert merge_key_for_finding(q, "mail.dmarc.missing") == "rec.anti_spoofing"
    assert merge_key_for_finding(q, "mail.dmarc.ok") == "rec.anti_spoofing"  # a passing check confirms the item
    assert merge_key_for_finding(q, "web.hsts.missing") == "finding:web.headers.hsts_not_implemented"
    assert merge_key_for_finding(q, "web.headers.hsts_not_implemented") == "finding:web.headers.hsts_not_implemented"
    assert merge_key_for_finding(q, "tls.cert.expired") == "finding:tls.cert.expired"
    assert [finding_owner(k) for k in ("web.x.y", "tls.x.y", "mail.x.y", "dns.x.y", "engine.timeout")] == [
        "web_host", "web_host", "it_provider", "it_provider", "sme"]


def test_longest_prefix_wins() -> None:
    q = build([], [rec("rec.mail", findings=["mail."]), rec("rec.dmarc", findings=["mail.dmarc."])])
    assert merge_key_for_finding(q, "mail.dmarc.missing") == "rec.dmarc"
    assert merge_key_for_finding(q, "mail.spf.missing") == "rec.mail"


def test_sorted_by_priority_then_severity_then_key() -> None:
    q = build([question("access.a", recs=["rec.b_high"]), question("access.b", recs=["rec.a_medium"]),
               question("access.c", recs=["rec.c_high"]), question("access.d", recs=["rec.z_first"])],
              [rec("rec.b_high", severity="high", likelihood="low", effort="low"),  # 4 * 1 * 1 / 1 = 4
               rec("rec.a_medium", severity="medium", likelihood="medium", effort="medium"),  # 3 * 2 / 2 = 3
               rec("rec.c_high", severity="high", likelihood="low", effort="low"),  # 4
               rec("rec.z_first", severity="low", likelihood="high", effort="low")])  # 2 * 3 = 6
    answers = {"access.a": "0", "access.b": "0", "access.c": "0", "access.d": "0"}
    assert [i.key for i in build_plan(q, MICRO, answers, [])] == ["rec.z_first", "rec.b_high", "rec.c_high",
                                                                  "rec.a_medium"]
    # equal priority, different severity: the more severe first
    q = build([question("access.a", recs=["rec.a"]), question("access.b", recs=["rec.b"])],
              [rec("rec.a", severity="low", likelihood="high", effort="medium"),  # 2 * 3 / 2 = 3
               rec("rec.b", severity="medium", likelihood="medium", effort="medium")])  # 3 * 2 / 2 = 3
    assert [i.key for i in build_plan(q, MICRO, {"access.a": "0", "access.b": "0"}, [])] == ["rec.b", "rec.a"]


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_item_text(lang: str) -> None:
    q = sample()
    plan = build_plan(q, MICRO, {"access.mfa": "0"}, [PlanFinding("web.hsts.missing", "fail", "medium", "a.lv")])
    by_key = _by_key(plan)
    title, why, how, refs = item_text(q, by_key["rec.mfa"], lang)
    assert title == "Title rec.mfa" and how == "1. Do it" and refs[0].url.startswith("https://")
    title, why, how, _ = item_text(q, by_key["finding:web.headers.hsts_not_implemented"], lang)
    assert title and why and how
    if lang == "lv":
        assert title != item_text(q, by_key["finding:web.headers.hsts_not_implemented"], "en")[0]
