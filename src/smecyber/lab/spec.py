"""Lab domain files: load ``domains/*.yaml`` and validate them into typed specs.

The format is described in docs/contracts.md and src/smecyber/lab/README.md. Validation is strict (unknown
keys are errors) because a typo in a lab file would otherwise silently test the wrong thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DOMAINS_DIR = Path(__file__).parent / "domains"

DNSSEC_MODES = ("secure", "insecure", "bogus")
HTTP_MODES = ("redirect", "serve", "none", "redirect_other_host")
CERT_VARIANTS = ("valid", "expired", "self_signed", "wrong_name", "rsa1024", "sha1")
KEY_TYPES = ("rsa", "ecdsa")
TLS_VERSIONS = ("TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")
# A module constant, not WebSpec.body: on a slots dataclass the class attribute is a descriptor, not the default.
DEFAULT_BODY = "<!doctype html><html><head><title>lab</title></head><body>lab</body></html>"
BEHAVIOURS = ("normal", "slow_body", "huge_header", "redirect_loop", "reset_handshake")
STATUSES = ("pass", "info", "warn", "fail", "error")
MTA_STS_MODES = ("enforce", "testing", "none")

_DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+test$")


class LabSpecError(ValueError):
    """An invalid lab domain file; the message names the file and the offending key."""


@dataclass(frozen=True, slots=True)
class PathSpec:
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    location: str | None = None
    cookies: list[str] | None = None  # None: the site's cookies


@dataclass(frozen=True, slots=True)
class WebSpec:
    http: str = "redirect"
    https: bool = True
    cert: str = "valid"
    key: str = "rsa"
    tls_versions: tuple[str, ...] = ("TLSv1.2", "TLSv1.3")
    ciphers: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    body: str = DEFAULT_BODY
    paths: dict[str, PathSpec] = field(default_factory=dict)
    behaviour: str = "normal"
    latency_ms: int = 0


@dataclass(frozen=True, slots=True)
class MailSpec:
    smtp: bool = True
    starttls: bool = True
    cert: str = "valid"
    key: str = "rsa"
    tls_versions: tuple[str, ...] = ("TLSv1.2", "TLSv1.3")
    ciphers: str | None = None


@dataclass(frozen=True, slots=True)
class MtaStsSpec:
    """The policy served at https://mta-sts.<domain>/.well-known/mta-sts.txt."""

    mode: str = "enforce"
    mx: tuple[str, ...] = ("mail.{domain}",)
    max_age: int = 604800
    policy: str | None = None  # raw text, overrides mode/mx/max_age (for broken policies)
    cert: str | None = None  # certificate variant of the policy host; default: the web cert
    status: int = 200

    def text(self, domain: str) -> str:
        if self.policy is not None:
            return self.policy.replace("{domain}", domain)
        lines = ["version: STSv1", f"mode: {self.mode}"]
        lines += [f"mx: {m.replace('{domain}', domain)}" for m in self.mx]
        lines.append(f"max_age: {self.max_age}")
        return "\r\n".join(lines) + "\r\n"


@dataclass(frozen=True, slots=True)
class DkimSpec:
    selector: str
    type: str = "rsa"  # rsa | ed25519
    bits: int = 2048
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class GenerateSpec:
    """``count`` records at ``owner``; ``rdata`` may use {i} (1-based) and {ip} (a distinct lab address)."""

    owner: str
    type: str
    count: int
    rdata: str


@dataclass(frozen=True, slots=True)
class Expected:
    check: str
    status: tuple[str, ...]  # one of these
    key: str | None = None
    subject: str | None = None

    def describe(self) -> str:
        parts = [self.check, "|".join(self.status)]
        if self.key:
            parts.append(self.key)
        if self.subject:
            parts.append(f"subject={self.subject}")
        return " ".join(parts)


GRADE_GROUPS = ("web_headers", "tls", "web", "mail", "dns", "overall")


@dataclass(frozen=True, slots=True)
class ExpectedGrade:
    score: int | None = None
    letter: str | None = None


@dataclass(frozen=True, slots=True)
class DomainSpec:
    domain: str
    purpose: str
    dnssec: str = "secure"
    records: tuple[str, ...] = ()
    generate: tuple[GenerateSpec, ...] = ()
    web: WebSpec | None = None
    mail: MailSpec | None = None
    mta_sts: MtaStsSpec | None = None
    dkim: tuple[DkimSpec, ...] = ()
    expected: tuple[Expected, ...] = ()
    # grade group -> {score, letter} a deep scan must reach (web_headers: confirmed with the Observatory)
    expected_grades: dict[str, ExpectedGrade] = field(default_factory=dict)
    hostile: bool = False  # left out of the sweep set
    source: Path | None = None

    @property
    def has_https_server(self) -> bool:
        return (self.web is not None and self.web.https) or self.mta_sts is not None


def load_domains(directory: Path = DOMAINS_DIR) -> list[DomainSpec]:
    """Every ``*.yaml`` in ``directory``, validated, sorted by domain name."""
    specs = [load_domain_file(p) for p in sorted(directory.glob("*.yaml"))]
    seen: dict[str, Path | None] = {}
    for s in specs:
        if s.domain in seen:
            raise LabSpecError(f"{s.source}: domain {s.domain} is also defined in {seen[s.domain]}")
        seen[s.domain] = s.source
    return sorted(specs, key=lambda s: s.domain)


def load_domain_file(path: Path) -> DomainSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LabSpecError(f"{path}: not valid YAML: {exc}") from None
    try:
        spec = parse_domain(data)
    except LabSpecError as exc:
        raise LabSpecError(f"{path}: {exc}") from None
    if path.stem != spec.domain:
        raise LabSpecError(f"{path}: the file must be named {spec.domain}.yaml")
    return _replace_source(spec, path)


def _replace_source(spec: DomainSpec, path: Path) -> DomainSpec:
    from dataclasses import replace

    return replace(spec, source=path)


# --- parsing -----------------------------------------------------------------------------------------

class _Fields:
    """Reads a mapping, remembering which keys were consumed so unknown keys can be reported."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise LabSpecError(f"{where}: expected a mapping, got {type(data).__name__}")
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None, *, required: bool = False) -> Any:
        self.used.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                raise LabSpecError(f"{self.where}: '{key}' is required")
            return default
        value = self.data[key]
        if kind is int and isinstance(value, bool):
            raise LabSpecError(f"{self.where}.{key}: expected an integer")
        if not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise LabSpecError(f"{self.where}.{key}: expected {names}, got {type(value).__name__}")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.get(key, str, default)
        if value not in choices:
            raise LabSpecError(f"{self.where}.{key}: {value!r} is not one of {', '.join(choices)}")
        return value

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise LabSpecError(f"{self.where}: unknown key(s) {', '.join(map(repr, unknown))}")


def parse_domain(data: Any) -> DomainSpec:
    f = _Fields(data, "domain file")
    domain = f.get("domain", str, required=True).lower().rstrip(".")
    if not _DOMAIN_RE.match(domain):
        raise LabSpecError(f"domain {domain!r} must be a hostname ending in .test")
    if domain in ("lab.test", "sweep.test"):
        raise LabSpecError(f"domain {domain!r} is reserved for the lab itself")
    records = f.get("records", list, [])
    for r in records:
        if not isinstance(r, str) or len(r.split()) < 3:
            raise LabSpecError(f"records: {r!r} is not 'OWNER TYPE RDATA'")
    expected = tuple(_parse_expected(e, i) for i, e in enumerate(f.get("expected", list, [])))
    spec = DomainSpec(
        domain=domain,
        purpose=f.get("purpose", str, required=True),
        dnssec=f.choice("dnssec", DNSSEC_MODES, "secure"),
        records=tuple(records),
        generate=tuple(_parse_generate(g, i) for i, g in enumerate(f.get("generate", list, []))),
        web=_parse_web(f.get("web", dict)) if f.get("web", dict) is not None else None,
        mail=_parse_mail(f.get("mail", dict)) if f.get("mail", dict) is not None else None,
        mta_sts=_parse_mta_sts(f.get("mta_sts", dict)) if f.get("mta_sts", dict) is not None else None,
        dkim=tuple(_parse_dkim(sel, v) for sel, v in f.get("dkim", dict, {}).items()),
        expected=expected,
        expected_grades={g: _parse_grade(g, v) for g, v in f.get("expected_grades", dict, {}).items()},
        hostile=f.get("hostile", bool, False),
    )
    f.done()
    return spec


def _tls_versions(values: Any, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not values:
        raise LabSpecError(f"{where}: expected a non-empty list of {', '.join(TLS_VERSIONS)}")
    for v in values:
        if v not in TLS_VERSIONS:
            raise LabSpecError(f"{where}: {v!r} is not one of {', '.join(TLS_VERSIONS)}")
    return tuple("TLSv1.0" if v == "TLSv1" else v for v in values)


def _str_dict(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise LabSpecError(f"{where}: expected a mapping of names to strings")
    return {k: str(v) for k, v in value.items()}


def _parse_web(data: dict[str, Any]) -> WebSpec:
    f = _Fields(data, "web")
    paths = {}
    for p, v in f.get("paths", dict, {}).items():
        if not isinstance(p, str) or not p.startswith("/"):
            raise LabSpecError(f"web.paths: {p!r} must start with '/'")
        pf = _Fields(v, f"web.paths[{p}]")
        cookies = pf.get("cookies", list)
        paths[p] = PathSpec(
            status=pf.get("status", int, 200),
            content_type=pf.get("content_type", str, "text/html; charset=utf-8"),
            body=pf.get("body", str, ""),
            headers=_str_dict(pf.get("headers", dict, {}), f"web.paths[{p}].headers"),
            location=pf.get("location", str),
            cookies=[str(c) for c in cookies] if cookies is not None else None,
        )
        pf.done()
    spec = WebSpec(
        http=f.choice("http", HTTP_MODES, "redirect"),
        https=f.get("https", bool, True),
        cert=f.choice("cert", CERT_VARIANTS, "valid"),
        key=f.choice("key", KEY_TYPES, "rsa"),
        tls_versions=_tls_versions(f.get("tls_versions", list, ["TLSv1.2", "TLSv1.3"]), "web.tls_versions"),
        ciphers=f.get("ciphers", str),
        headers=_str_dict(f.get("headers", dict, {}), "web.headers"),
        cookies=[str(c) for c in f.get("cookies", list, [])],
        body=f.get("body", str, DEFAULT_BODY),
        paths=paths,
        behaviour=f.choice("behaviour", BEHAVIOURS, "normal"),
        latency_ms=f.get("latency_ms", int, 0),
    )
    f.done()
    return spec


def _parse_mail(data: dict[str, Any]) -> MailSpec:
    f = _Fields(data, "mail")
    spec = MailSpec(
        smtp=f.get("smtp", bool, True),
        starttls=f.get("starttls", bool, True),
        cert=f.choice("cert", CERT_VARIANTS, "valid"),
        key=f.choice("key", KEY_TYPES, "rsa"),
        tls_versions=_tls_versions(f.get("tls_versions", list, ["TLSv1.2", "TLSv1.3"]), "mail.tls_versions"),
        ciphers=f.get("ciphers", str),
    )
    f.done()
    return spec


def _parse_mta_sts(data: dict[str, Any]) -> MtaStsSpec:
    f = _Fields(data, "mta_sts")
    mx = f.get("mx", list, ["mail.{domain}"])
    cert = f.get("cert", str)
    if cert is not None and cert not in CERT_VARIANTS:
        raise LabSpecError(f"mta_sts.cert: {cert!r} is not one of {', '.join(CERT_VARIANTS)}")
    spec = MtaStsSpec(
        mode=f.choice("mode", MTA_STS_MODES, "enforce"),
        mx=tuple(str(m) for m in mx),
        max_age=f.get("max_age", int, 604800),
        policy=f.get("policy", str),
        cert=cert,
        status=f.get("status", int, 200),
    )
    f.done()
    return spec


def _parse_dkim(selector: Any, data: Any) -> DkimSpec:
    where = f"dkim.{selector}"
    if not isinstance(selector, str) or not re.match(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", selector):
        raise LabSpecError(f"{where}: invalid selector name")
    f = _Fields(data or {}, where)
    kind = f.choice("type", ("rsa", "ed25519"), "rsa")
    bits = f.get("bits", int, 2048)
    if kind == "rsa" and bits not in (512, 1024, 2048, 4096):
        raise LabSpecError(f"{where}.bits: choose 512, 1024, 2048 or 4096")
    spec = DkimSpec(selector, kind, bits, f.get("revoked", bool, False))
    f.done()
    return spec


def _parse_generate(data: Any, index: int) -> GenerateSpec:
    f = _Fields(data, f"generate[{index}]")
    count = f.get("count", int, required=True)
    if not 1 <= count <= 4000:
        raise LabSpecError(f"generate[{index}].count: must be 1-4000")
    spec = GenerateSpec(
        owner=f.get("owner", str, "@"), type=f.get("type", str, required=True).upper(), count=count,
        rdata=f.get("rdata", str, "{ip}"),
    )
    f.done()
    return spec


def _parse_grade(group: Any, data: Any) -> ExpectedGrade:
    if group not in GRADE_GROUPS:
        raise LabSpecError(f"expected_grades: {group!r} is not one of {', '.join(GRADE_GROUPS)}")
    f = _Fields(data, f"expected_grades.{group}")
    grade = ExpectedGrade(f.get("score", int), f.get("letter", str))
    f.done()
    if grade.score is None and grade.letter is None:
        raise LabSpecError(f"expected_grades.{group}: give a score, a letter or both")
    return grade


def _parse_expected(data: Any, index: int) -> Expected:
    f = _Fields(data, f"expected[{index}]")
    status = f.get("status", (str, list), required=True)
    statuses = tuple(status) if isinstance(status, list) else (status,)
    for s in statuses:
        if s not in STATUSES:
            raise LabSpecError(f"expected[{index}].status: {s!r} is not one of {', '.join(STATUSES)}")
    check = f.get("check", str, required=True)
    # a check may report keys of another area (mail.starttls reports tls.* for the MX endpoint)
    spec = Expected(check, statuses, f.get("key", str), f.get("subject", str))
    f.done()
    return spec
