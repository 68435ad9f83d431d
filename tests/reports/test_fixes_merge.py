"""Top fixes: one entry per problem, even when two checks report it under different catalog keys."""

from __future__ import annotations

from smecyber.catalog import load_catalog
from smecyber.reports.fixes import top_fixes


def _same_title_pair() -> tuple[str, str]:
    by_title: dict[str, list[str]] = {}
    catalog = load_catalog()
    for key in sorted(catalog.keys()):
        by_title.setdefault(catalog.entry(key, "en").title, []).append(key)
    pairs = [keys for keys in by_title.values() if len(keys) > 1]
    assert pairs, "the catalog has no two keys with one title; this test needs a new example"
    return pairs[0][0], pairs[0][1]


def test_keys_with_the_same_title_are_one_fix_with_all_their_domains() -> None:
    first, second = _same_title_pair()
    fixes = top_fixes([(first, "fail", "medium", "a.test"), (second, "fail", "medium", "b.test"),
                       ("mail.dmarc.missing", "fail", "high", "a.test")], "en")
    titles = [f.text.title for f in fixes]
    assert len(titles) == len(set(titles)) == 2
    merged = next(f for f in fixes if f.text.key in (first, second))
    assert merged.domains == ("a.test", "b.test")


def test_different_problems_stay_apart() -> None:
    fixes = top_fixes([("mail.dmarc.missing", "fail", "high", "a.test"),
                       ("dns.caa.missing", "warn", "low", "a.test")], "sv")
    assert len(fixes) == 2
