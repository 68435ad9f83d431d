"""The catalog loader: the API, and that every kind of broken file is refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from smecyber.catalog import SUPPORTED_LANGUAGES, CatalogError, load_catalog, normalize_language

ENTRY = """\
dns.demo.ok:
  severity: low
  effort: medium
  references:
    - {title: "RFC 8659", url: "https://www.rfc-editor.org/rfc/rfc8659"}
  csf: [PR.PS-01]
  nis2: [h]
  snippets: {dns: 'example.com. CAA 0 issue "ca.example"'}
  text: {title: "English title", why: "English why", how: "English how"}
"""


def translation(lang: str, key: str = "dns.demo.ok") -> str:
    return f'{key}:\n  title: "{lang} title"\n  why: "{lang} why"\n  how: "{lang} how"\n'


def write(tmp_path: Path, english: str = ENTRY, **translations: str) -> Path:
    (tmp_path / "dns.yaml").write_text(english, encoding="utf-8")
    for lang in SUPPORTED_LANGUAGES[1:]:
        text = translations.get(lang, translation(lang))
        if text is not None:
            (tmp_path / f"dns.{lang}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path) -> str:
    with pytest.raises(CatalogError) as exc:
        load_catalog(tmp_path)
    return str(exc.value)


def test_entry_in_every_language(tmp_path: Path) -> None:
    catalog = load_catalog(write(tmp_path))
    assert catalog.keys() == ["dns.demo.ok"] and "dns.demo.ok" in catalog and len(catalog) == 1
    en = catalog.entry("dns.demo.ok", "en")
    assert (en.title, en.why, en.how, en.lang) == ("English title", "English why", "English how", "en")
    assert (en.severity, en.effort, en.csf, en.nis2) == ("low", "medium", ("PR.PS-01",), ("h",))
    assert en.references[0].url == "https://www.rfc-editor.org/rfc/rfc8659"
    assert en.snippets == {"dns": 'example.com. CAA 0 issue "ca.example"'}
    for lang in ("sv", "lv", "lt"):
        entry = catalog.entry("dns.demo.ok", lang)
        assert (entry.title, entry.why, entry.how, entry.lang) == (f"{lang} title", f"{lang} why", f"{lang} how", lang)
        assert entry.references == en.references  # metadata is shared


@pytest.mark.parametrize(("asked", "got"), [
    ("sv-SE", "sv"), ("LV", "lv"), ("lt_LT", "lt"), ("de", "en"), ("", "en"), (None, "en"), ("et", "en"),
])
def test_language_fallback_only_for_unsupported_languages(tmp_path: Path, asked: str | None, got: str) -> None:
    assert normalize_language(asked) == got
    assert load_catalog(write(tmp_path)).entry("dns.demo.ok", asked).lang == got


def test_unknown_key(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match=r"dns\.demo\.nope"):
        load_catalog(write(tmp_path)).entry("dns.demo.nope")


def test_packaged_catalog_is_cached() -> None:
    try:
        first = load_catalog()
    except CatalogError:
        pytest.skip("the packaged catalog is invalid; test_catalog.py reports why")
    assert load_catalog() is first


@pytest.mark.parametrize(("broken", "message"), [
    (ENTRY.replace("  severity: low\n", ""), "missing required field 'severity'"),
    (ENTRY.replace("severity: low", "severity: urgent"), "severity 'urgent' is not one of"),
    (ENTRY.replace("effort: medium", "effort: trivial"), "effort 'trivial' is not one of"),
    (ENTRY.replace("https://www.rfc", "http://www.rfc"), "must be an https:// URL"),
    (ENTRY.replace('url: "https://www.rfc-editor.org/rfc/rfc8659"', 'url: "https://"'), "must be an https:// URL"),
    (ENTRY.replace('{title: "RFC 8659", ', "{"), "must have exactly a title and a url"),
    (ENTRY.replace("[PR.PS-01]", "[PR.XX-99]"), "'PR.XX-99' does not exist in NIST CSF 2.0"),
    (ENTRY.replace("[PR.PS-01]", "[PR.IP-01]"), "'PR.IP-01' is withdrawn"),
    (ENTRY.replace("[PR.PS-01]", "[PR.PS]"), "is a function or category"),
    (ENTRY.replace("nis2: [h]", "nis2: [k]"), "letter 'k' is not one of a-j"),
    (ENTRY.replace("nis2: [h]", "nis2: h"), "nis2 must be a list"),
    (ENTRY.replace("{dns:", "{bind:"), "snippet kind 'bind'"),
    (ENTRY.replace('why: "English why", ', ""), "text 'why' is missing or empty"),
    (ENTRY.replace('how: "English how"', 'how: "  "'), "text 'how' is missing or empty"),
    (ENTRY.replace("  csf:", "  cfs: []\n  csf:"), "unknown field 'cfs'"),
    (ENTRY.replace("dns.demo.ok:", "dns.demo:"), "key must look like"),
    (ENTRY.replace("dns.demo.ok:", "web.demo.ok:"), "key belongs in web.yaml"),
    (ENTRY + ENTRY, "duplicate key 'dns.demo.ok'"),
    ("dns.demo.ok: [1, 2\n", "not valid YAML"),
])
def test_broken_english_file(tmp_path: Path, broken: str, message: str) -> None:
    assert message in problems(write(tmp_path, broken))


@pytest.mark.parametrize(("lang", "text", "message"), [
    ("sv", None, "dns.sv.yaml: missing; it must translate 1 key(s)"),
    ("lv", "", "dns.lv.yaml: dns.demo.ok: translation missing (needs title, why, how)"),
    ("lt", translation("lt").replace('  why: "lt why"\n', ""), "dns.lt.yaml: dns.demo.ok: text 'why' is missing"),
    ("sv", translation("sv") + translation("sv", "dns.demo.gone"), "dns.demo.gone: not a key of dns.yaml"),
    ("lv", translation("lv") + '  note: "x"\n', "unknown text field 'note'"),
    ("lt", translation("lt").replace("lt title", ""), "text 'title' is missing or empty"),
])
def test_broken_translation(tmp_path: Path, lang: str, text: str | None, message: str) -> None:
    assert message in problems(write(tmp_path, **{lang: text}))  # type: ignore[arg-type]


def test_unknown_language_file(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "dns.de.yaml").write_text(translation("de"), encoding="utf-8")
    assert "language 'de' is not one of the translated languages" in problems(tmp_path)


def test_unexpected_file_and_orphan_translation(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "notes.yaml").write_text("{}", encoding="utf-8")
    (tmp_path / "web.sv.yaml").write_text("{}", encoding="utf-8")
    text = problems(tmp_path)
    assert "notes.yaml: unexpected file" in text
    assert "web.sv.yaml: translation without an English web.yaml" in text


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    broken = ENTRY.replace("severity: low", "severity: x").replace("effort: medium", "effort: y")
    with pytest.raises(CatalogError) as exc:
        load_catalog(write(tmp_path, broken, sv=None))
    assert len(exc.value.problems) >= 3
