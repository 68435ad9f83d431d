"""The whole catalog as data for review: the questionnaire, the findings catalog, framework items and NIS2
sectors, every text in every language (``smecyber catalog export``).

``catalog_document`` is one JSON-ready document; ``catalog_rows`` is a table with one row per text field of
every object (one column per language, the object's metadata repeated on each row) so a reviewer who does
not read YAML can filter it in a spreadsheet. Pure functions: loading and writing is the CLI's job.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from typing import Any

from .findings import Catalog, Reference
from .languages import SUPPORTED_LANGUAGES
from .questionnaire_model import Condition, Question, Questionnaire, Texts

LANGUAGES = SUPPORTED_LANGUAGES
META_COLUMNS = (
    "area", "order", "weight", "scale", "severity", "likelihood", "effort", "owner", "csf", "nis2", "cra", "gdpr",
    "eurostat", "applies", "raise_likelihood", "recommendations", "questions", "findings", "references", "annex",
    "size_rule",
)
CSV_COLUMNS = ("kind", "id", "field", *LANGUAGES, *META_COLUMNS)
_CONDITION_FIELDS = ("size_band", "sector", "builds_software", "places_products", "personal_data", "nis2_sector")


# ---- shared helpers -----------------------------------------------------------------------------------------


def condition_dict(cond: Condition) -> dict[str, Any]:
    """The constraints of ``cond`` as plain JSON (lists sorted), without the unconstrained fields."""
    out: dict[str, Any] = {}
    for name in _CONDITION_FIELDS:
        value = getattr(cond, name)
        if value is not None:
            out[name] = sorted(value) if isinstance(value, frozenset) else value
    return out


def condition_text(cond: Condition) -> str:
    """``size_band: small, medium; builds_software: true`` ("" = always)."""
    parts = []
    for name, value in condition_dict(cond).items():
        shown = ", ".join(value) if isinstance(value, list) else str(value).lower()
        parts.append(f"{name}: {shown}")
    return "; ".join(parts)


def effective_applies(q: Questionnaire, question: Question) -> dict[str, Any]:
    """The question's conditions including the implicit one of a software-only area."""
    applies = condition_dict(question.applies)
    area = q.areas.get(question.area)
    if area is not None and area.software_only and "builds_software" not in applies:
        applies = {**applies, "builds_software": True}
    return applies


def finding_recommendations(q: Questionnaire, keys: Iterable[str]) -> dict[str, str]:
    """Finding key -> the recommendation whose ``findings`` prefix matches it (the loader keeps it unique)."""
    out: dict[str, str] = {}
    for key in keys:
        for rec in q.recommendations.values():
            if any(key.startswith(prefix) for prefix in rec.findings):
                out[key] = rec.id
                break
    return out


def _texts(texts: Texts[Any]) -> dict[str, dict[str, str]]:
    """field -> language -> text; a plain-string text (a title) is the field ``title``."""
    by_lang = {lang: texts.get(lang) for lang in LANGUAGES}
    sample = by_lang[LANGUAGES[0]]
    if not is_dataclass(sample):
        return {"title": {lang: str(t) for lang, t in by_lang.items()}}
    return {f.name: {lang: getattr(t, f.name) for lang, t in by_lang.items()} for f in fields(sample)}


def _refs(refs: Iterable[Reference]) -> list[dict[str, str]]:
    return [{"title": r.title, "url": r.url} for r in refs]


def _questions_naming(q: Questionnaire) -> tuple[dict[str, list[str]], dict[tuple[str, str], list[str]]]:
    """Recommendation id -> question ids, and (framework, item) -> question ids."""
    by_rec: dict[str, list[str]] = {}
    by_item: dict[tuple[str, str], list[str]] = {}
    for question in q.questions.values():
        for rec in question.recommendations:
            by_rec.setdefault(rec, []).append(question.id)
        for fw in ("nis2", "cra", "gdpr", "eurostat"):
            for item in getattr(question, fw):
                by_item.setdefault((fw, item), []).append(question.id)
    return by_rec, by_item


# ---- JSON -------------------------------------------------------------------------------------------------


def catalog_document(q: Questionnaire, findings: Catalog) -> dict[str, Any]:
    """Everything in one document: ``version``, ``languages`` and one section per kind of object."""
    by_rec, by_item = _questions_naming(q)
    keys = findings.keys()  # sorted
    finding_recs = finding_recommendations(q, keys)
    return {
        "version": q.version,
        "languages": list(LANGUAGES),
        "areas": [
            {"id": a.id, "order": a.order, "software_only": a.software_only,
             "questions": [qu.id for qu in q.questions_in(a.id)], "text": _texts(a.texts)}
            for a in q.areas.values()
        ],
        "scales": [
            {"id": s.id, "steps": [{"key": st.key, "value": st.value, "text": _texts(st.texts)} for st in s.steps]}
            for s in q.scales.values()
        ],
        "questions": [
            {"id": qu.id, "area": qu.area, "order": qu.order, "weight": qu.weight, "scale": qu.scale,
             "applies": condition_dict(qu.applies), "applies_effective": effective_applies(q, qu),
             "recommendations": list(qu.recommendations), "csf": list(qu.csf), "nis2": list(qu.nis2),
             "cra": list(qu.cra), "gdpr": list(qu.gdpr), "eurostat": list(qu.eurostat), "text": _texts(qu.texts)}
            for qu in q.questions.values()
        ],
        "recommendations": [
            {"id": r.id, "severity": r.severity, "likelihood": r.likelihood,
             "raise_likelihood": [condition_dict(c) for c in r.raise_likelihood], "effort": r.effort,
             "owner": r.owner, "findings": list(r.findings),
             "finding_keys": [k for k, rec in finding_recs.items() if rec == r.id],
             "questions": by_rec.get(r.id, []), "references": _refs(r.references), "text": _texts(r.texts)}
            for r in q.recommendations.values()
        ],
        "findings": [_finding(findings, key, finding_recs.get(key)) for key in keys],
        "frameworks": {
            fw: [{"id": item.id, "questions": by_item.get((fw, item.id), []), "text": _texts(item.texts)}
                 for item in items.values()]
            for fw, items in q.frameworks.items()
        },
        "nis2_sectors": [
            {"id": s.id, "annex": s.annex, "size_rule": s.size_rule, "text": _texts(s.texts)}
            for s in q.nis2_sectors.values()
        ],
    }


def _finding(findings: Catalog, key: str, recommendation: str | None) -> dict[str, Any]:
    entry = findings.entry(key)
    texts = findings.texts(key)
    return {
        "key": key, "severity": entry.severity, "effort": entry.effort, "csf": list(entry.csf),
        "nis2": list(entry.nis2), "references": _refs(entry.references), "snippets": entry.snippets,
        "recommendation": recommendation,
        "text": {f: {lang: getattr(texts[lang], f) for lang in LANGUAGES} for f in ("title", "why", "how")},
    }


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---- CSV --------------------------------------------------------------------------------------------------


def catalog_rows(q: Questionnaire, findings: Catalog) -> list[dict[str, str]]:
    """One row per (kind, id, text field): the text in each language, then the object's metadata."""
    doc = catalog_document(q, findings)
    rows: list[dict[str, str]] = []

    def add(kind: str, obj_id: str, text: dict[str, dict[str, str]], **meta: Any) -> None:
        shown = {k: _cell(v) for k, v in meta.items()}
        for field_name, by_lang in text.items():
            rows.append({"kind": kind, "id": obj_id, "field": field_name, **by_lang, **shown})

    for a in doc["areas"]:
        add("area", a["id"], a["text"], area=a["id"], order=a["order"], questions=a["questions"],
            applies="builds_software: true" if a["software_only"] else "")
    for s in doc["scales"]:
        for st in s["steps"]:
            add("scale_step", f"{s['id']}:{st['key']}", st["text"], scale=s["id"])
    for qu, d in zip(q.questions.values(), doc["questions"], strict=True):
        add("question", qu.id, d["text"], area=qu.area, order=qu.order, weight=qu.weight, scale=qu.scale,
            csf=qu.csf, nis2=qu.nis2, cra=qu.cra, gdpr=qu.gdpr, eurostat=qu.eurostat,
            applies=_applies_cell(q, qu), recommendations=qu.recommendations)
    for r, d in zip(q.recommendations.values(), doc["recommendations"], strict=True):
        add("recommendation", r.id, d["text"], severity=r.severity, likelihood=r.likelihood, effort=r.effort,
            owner=r.owner, raise_likelihood=" | ".join(condition_text(c) for c in r.raise_likelihood),
            questions=d["questions"], findings=r.findings, references=_ref_cell(r.references))
    for d in doc["findings"]:
        entry = findings.entry(d["key"])
        add("finding", d["key"], d["text"], area=d["key"].split(".")[0], severity=entry.severity,
            effort=entry.effort, csf=entry.csf, nis2=entry.nis2, recommendations=d["recommendation"] or "",
            references=_ref_cell(entry.references))
    for fw, items in doc["frameworks"].items():
        for item in items:
            add("framework_item", f"{fw}:{item['id']}", item["text"], questions=item["questions"],
                **{fw: item["id"]})
    for s in doc["nis2_sectors"]:
        add("nis2_sector", s["id"], s["text"], annex=s["annex"], size_rule=s["size_rule"])
    return rows


def _applies_cell(q: Questionnaire, question: Question) -> str:
    text = condition_text(question.applies)
    area = q.areas.get(question.area)
    if area is not None and area.software_only and question.applies.builds_software is None:
        text = "; ".join(t for t in (text, "builds_software: true (software area)") if t)
    return text


def _ref_cell(refs: Iterable[Reference]) -> str:
    return "\n".join(f"{r.title} <{r.url}>" for r in refs)


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def to_csv(rows: list[dict[str, str]]) -> str:
    """The rows as CSV text (the caller encodes it as UTF-8 with a BOM, which Excel needs)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
