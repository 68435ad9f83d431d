"""The parts of an HTML page the Observatory reads: <meta> policies and <script> sources.

The Observatory parses with jsdom; Python's HTMLParser is close enough for these two element types. Elements
inside <template> are skipped because the DOM keeps template content out of querySelectorAll.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_ABSOLUTE_SCHEME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789+-.")


@dataclass(slots=True)
class Script:
    src: str  # as the DOM's script.src reports it (resolved when absolute, else the raw attribute)
    integrity: str | None


@dataclass(slots=True)
class PageFacts:
    csp_meta: list[str] = field(default_factory=list)  # <meta http-equiv="content-security-policy">
    referrer_meta: list[str] = field(default_factory=list)  # last <meta name="referrer"> wins
    scripts: list[Script] = field(default_factory=list)
    script_count: int = 0  # every <script>, with or without src


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._template_depth = 0
        self._base: str | None = None
        self._raw_scripts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "template":
            self._template_depth += 1
            return
        if self._template_depth:
            return
        first: dict[str, str] = {}
        for k, v in attrs:  # the DOM keeps the first of repeated attributes
            first.setdefault(k, v if v is not None else "")
        if tag == "meta":
            self._meta(first)
        elif tag == "base" and self._base is None and "href" in first:
            self._base = first["href"]
        elif tag == "script":
            self.facts.script_count += 1
            if "src" in first:
                self._raw_scripts.append((first["src"], first.get("integrity")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "template" and self._template_depth:
            self._template_depth -= 1

    def _meta(self, attrs: dict[str, str]) -> None:
        if "http-equiv" in attrs and "content" in attrs:
            if attrs["content"] and attrs["http-equiv"].strip().lower() == "content-security-policy":
                self.facts.csp_meta.append(attrs["content"])
        elif attrs.get("name", "").strip().lower() == "referrer" and attrs.get("content"):
            self.facts.referrer_meta = [attrs["content"]]

    def finish(self) -> PageFacts:
        base = _absolute(self._base) if self._base is not None else None
        for raw, integrity in self._raw_scripts:
            self.facts.scripts.append(Script(_script_src(raw, base), integrity))
        return self.facts


def _absolute(url: str) -> str | None:
    """``url`` normalised when it parses as an absolute URL on its own (as against about:blank), else None."""
    u = url.strip(" \t\n\r\f\x00")
    colon = u.find(":")
    if colon <= 0 or not u[0].isalpha() or any(c not in _ABSOLUTE_SCHEME_CHARS for c in u[:colon].lower()):
        return None
    scheme = u[:colon].lower()
    if scheme in ("http", "https"):
        parts = urlsplit(u.replace("\\", "/"))
        if not parts.hostname:
            return None
        netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
        return f"{scheme}://{netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else "")
    return scheme + u[colon:]


def _script_src(raw: str, base: str | None) -> str:
    # jsdom resolves script.src against the document URL (about:blank) or a <base href>; a value that
    # cannot be resolved is returned as written
    if not raw.strip(" \t\n\r\f\x00"):
        return base or "about:blank"  # an empty src resolves to the document URL itself
    absolute = _absolute(raw)
    if absolute is not None:
        return absolute
    if base is not None and base.startswith(("http://", "https://")):
        return _absolute(urljoin(base, raw.strip())) or raw
    return raw


def page_facts(html: str) -> PageFacts:
    collector = _Collector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # HTMLParser is lenient; a failure here must not lose the whole grade
        pass
    return collector.finish()


def mime_type(content_type: str | None) -> str:
    # the Observatory compares the part before ";" as is (no trimming, case-sensitive)
    return (content_type or "").split(";")[0]
