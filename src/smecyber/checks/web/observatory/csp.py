"""Content-Security-Policy parsing and grading, following the Observatory 1.4.8 rules exactly.

Its quirks are kept on purpose because the grade must equal the reference: several policies are merged
(a source counts only when every policy allows it), repeated directives make the policy invalid except
report-uri/report-to, a source that extends the previous one in sort order is dropped, the directive sets
are shared (script-src falls back to the *same* default-src set, so removing 'unsafe-inline' for a nonce
affects both), and 'strict-dynamic' without a nonce or hash is invalid.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

SHORTEST_POLICY = len("img-src") - 1
DISALLOWED_IN_META = ("frame-ancestors", "report-uri", "sandbox")
ALLOWED_DUPLICATES = frozenset({"report-uri", "report-to"})
DUPLICATES_KEY = "_observatory_duplicate_key_warnings"

DANGEROUSLY_BROAD = frozenset({"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"})
UNSAFE_INLINE = frozenset({"'unsafe-inline'", "data:"})
BROAD_OR_INLINE = DANGEROUSLY_BROAD | UNSAFE_INLINE
PASSIVE_DIRECTIVES = ("img-src", "media-src")
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")

Csp = dict[str, set[str]]


class InvalidPolicyError(ValueError):
    pass


@dataclass(slots=True)
class _Source:
    source: str
    index: int
    keep: bool


def _collation_key(s: str) -> tuple[tuple[int, str], ...]:
    # approximates Intl.Collator("en"): punctuation and symbols sort before digits, digits before letters
    key = []
    for ch in s:
        cat = unicodedata.category(ch)
        rank = 2 if cat.startswith("L") else 1 if cat.startswith("N") else 0
        key.append((rank, ch))
    return tuple(key)


def _decode_uri_component(s: str) -> str:
    """JavaScript's decodeURIComponent: raises on a malformed escape, like the original."""
    out = bytearray()
    i = 0
    while i < len(s):
        if s[i] == "%":
            h = s[i + 1:i + 3]
            if len(h) != 2 or not re.fullmatch(r"[0-9A-Fa-f]{2}", h):
                raise InvalidPolicyError("malformed percent escape")
            out.append(int(h, 16))
            i += 3
        else:
            out.extend(s[i].encode("utf-8"))
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidPolicyError("malformed UTF-8 in percent escape") from None


def _path_part_match(a: str, b: str) -> bool:
    if not a:
        return True
    if a == "/" and not b:
        return True
    exact = not a.endswith("/")
    parts_a, parts_b = a.split("/"), b.split("/")
    if len(parts_a) > len(parts_b):
        return False
    if exact and len(parts_a) != len(parts_b):
        return False
    if not exact:
        parts_a.pop()
    return all(_decode_uri_component(x) == _decode_uri_component(y) for x, y in zip(parts_a, parts_b, strict=False))


def parse_csp(policies: list[str]) -> Csp:
    """Merge one or more policies into directive -> sources. Raises :class:`InvalidPolicyError`."""
    clean = [re.sub(r"[\r\n]", "", p).strip() for p in policies]
    if not clean:
        return {}
    for p in clean:
        if not p or len(p) < SHORTEST_POLICY:
            raise InvalidPolicyError(f"invalid policy: {p!r}")
    merged: dict[str, list[_Source]] = {}
    duplicates: set[str] = set()
    for index, policy in enumerate(clean):
        seen: set[str] = set()
        for entry in policy.split(";"):
            tokens = re.split(r"\s+", entry.strip())
            if not tokens[0]:
                continue
            directive, values = tokens[0].lower(), tokens[1:]
            if directive in seen:
                if directive not in ALLOWED_DUPLICATES:
                    raise InvalidPolicyError(f"duplicate directive {directive} in policy {index}")
                duplicates.add(directive)
            else:
                seen.add(directive)
            keep = index == 0
            sources = [_Source(v.strip().lower(), index, keep) for v in values]
            if not values and directive.endswith("-src"):
                sources = [_Source("'none'", index, keep)]
            combined = sources if index == 0 else [*merged.get(directive, []), *sources]
            combined.sort(key=lambda s: _collation_key(s.source))
            for i in range(1, len(combined)):
                cur, prev = combined[i], combined[i - 1]
                if cur.index == prev.index and cur.source.startswith(prev.source):
                    cur.keep = False  # https://a/b is superfluous after https://a/
                if cur.index != prev.index and _path_part_match(prev.source, cur.source):
                    cur.keep = True  # allowed by both policies
            merged[directive] = [s for s in combined if s.keep]
            if index == 0 and len(clean) > 1:
                for s in merged[directive]:
                    s.keep = False  # later policies must allow it again for it to stay
    final: Csp = {d: ({s.source for s in srcs} if srcs else {"'none'"}) for d, srcs in merged.items()}
    if duplicates:
        final[DUPLICATES_KEY] = duplicates
    return final


def parse_csp_meta(policies: list[str]) -> Csp:
    csp = parse_csp(policies)
    for d in DISALLOWED_IN_META:
        csp.pop(d, None)
    return csp


def _has_nonce_or_hash(sources: set[str]) -> bool:
    return any(s.startswith(NONCES_HASHES) for s in sources)


def _first(*options: set[str] | None) -> set[str]:
    for o in options:
        if o is not None:
            return o
    return {"*"}


@dataclass(slots=True)
class CspVerdict:
    result: str
    data: dict[str, list[str]] | None = None  # the merged policy, as the Observatory reports it
    policy: dict[str, bool] = field(default_factory=dict)


def grade_csp(header_values: list[str], meta_values: list[str], report_only: str | None, https: bool) -> CspVerdict:
    try:
        csp = parse_csp([*header_values, *meta_values])
    except InvalidPolicyError:
        return CspVerdict("csp-header-invalid")
    try:
        header_only = parse_csp(header_values)
    except InvalidPolicyError:
        header_only = {}
    try:
        meta_only = parse_csp_meta(meta_values)
    except InvalidPolicyError:
        meta_only = {}
    if len(header_only) + len(meta_only) == 0:
        # a meta tag holding only header-only directives counts as no policy at all
        if report_only:
            return CspVerdict("csp-not-implemented-but-reporting-enabled")
        return CspVerdict("csp-not-implemented")

    result: str | None = None
    policy: dict[str, bool] = {}
    base_uri = csp.get("base-uri") or {"*"}
    frame_ancestors = header_only.get("frame-ancestors") or {"*"}
    form_action = csp.get("form-action") or {"*"}
    object_src = _first(csp.get("object-src"), csp.get("default-src"))
    script_src = _first(csp.get("script-src"), csp.get("default-src"))
    style_src = _first(csp.get("style-src"), csp.get("default-src"))

    for sources in (script_src, style_src):  # may be the same set object, on purpose
        if _has_nonce_or_hash(sources) and "'unsafe-inline'" in sources:
            sources.discard("'unsafe-inline'")

    if _has_nonce_or_hash(script_src) and "'strict-dynamic'" in script_src:
        for s in list(script_src):
            if any(s.startswith(b) for b in DANGEROUSLY_BROAD) or s in ("'self'", "'unsafe-inline'"):
                script_src.discard(s)
        policy["strictDynamic"] = True
    elif "'strict-dynamic'" in script_src:
        result = result or "csp-header-invalid"

    active = [s for d, srcs in csp.items() if d not in PASSIVE_DIRECTIVES and d != "script-src" for s in srcs]
    active.extend(script_src)
    passive = [s for d in PASSIVE_DIRECTIVES for s in _first(csp.get(d), csp.get("default-src"), set())]

    def insecure(sources: list[str]) -> bool:
        return any(s.startswith(("http:", "ftp:")) for s in sources)

    if any(s in BROAD_OR_INLINE for s in script_src) or any(s in DANGEROUSLY_BROAD for s in object_src):
        result = result or "csp-implemented-with-unsafe-inline"
        policy["unsafeInline"] = True
    if https and insecure(active):
        result = result or "csp-implemented-with-insecure-scheme"
        policy["insecureSchemeActive"] = True
    if "'unsafe-eval'" in script_src or "'unsafe-eval'" in style_src:
        result = result or "csp-implemented-with-unsafe-eval"
        policy["unsafeEval"] = True
    if https and insecure(passive):
        result = result or "csp-implemented-with-insecure-scheme-in-passive-content-only"
        policy["insecureSchemePassive"] = True
    if any(s in BROAD_OR_INLINE for s in style_src):
        result = result or "csp-implemented-with-unsafe-inline-in-style-src-only"
        policy["unsafeInlineStyle"] = True
    default_src = csp.get("default-src")
    if default_src is not None and "'none'" in default_src and len(default_src) == 1:
        result = result or "csp-implemented-with-no-unsafe-default-src-none"
        policy["defaultNone"] = True
    else:
        result = result or "csp-implemented-with-no-unsafe"
    policy["antiClickjacking"] = not any(s in DANGEROUSLY_BROAD for s in frame_ancestors)
    policy["insecureBaseUri"] = any(s in BROAD_OR_INLINE for s in base_uri)
    policy["insecureFormAction"] = any(s in DANGEROUSLY_BROAD for s in form_action)
    policy["unsafeObjects"] = any(s in DANGEROUSLY_BROAD for s in object_src)

    if result in PASSING and DUPLICATES_KEY in csp:
        result = "csp-implemented-but-duplicate-directives"
    data = {d: sorted(s) for d, s in csp.items() if d != DUPLICATES_KEY}
    return CspVerdict(result, data, policy)


PASSING = (
    "csp-implemented-with-no-unsafe",
    "csp-implemented-with-no-unsafe-default-src-none",
    "csp-implemented-with-unsafe-inline-in-style-src-only",
    "csp-implemented-with-insecure-scheme-in-passive-content-only",
)
