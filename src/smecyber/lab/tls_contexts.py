"""Server-side TLS contexts of lab hosts: configured versions, ciphers, certificate, and SNI selection.

Old protocol versions and weak certificates (RSA-1024, SHA-1) are refused by OpenSSL 3 at its default
security level, so those hosts run at ``@SECLEVEL=0`` — the lab must be able to *offer* what is weak.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from .pki import LabCA, PrivateKey, load_key

_ORDER = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
_VERSION = {
    "TLSv1.0": ssl.TLSVersion.TLSv1, "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2, "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}
_NO_FLAG = {
    "TLSv1.0": ssl.OP_NO_TLSv1, "TLSv1.1": ssl.OP_NO_TLSv1_1,
    "TLSv1.2": ssl.OP_NO_TLSv1_2, "TLSv1.3": ssl.OP_NO_TLSv1_3,
}


@dataclass(slots=True)
class TlsSettings:
    versions: tuple[str, ...]
    ciphers: str | None
    variant: str  # certificate variant (spec.CERT_VARIANTS)
    alpn: tuple[str, ...] = ()


def server_context(cert_file: Path, key_file: Path, settings: TlsSettings) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    wanted = sorted(settings.versions, key=_ORDER.index)
    ctx.minimum_version = _VERSION[wanted[0]]
    ctx.maximum_version = _VERSION[wanted[-1]]
    for v in _ORDER[_ORDER.index(wanted[0]) : _ORDER.index(wanted[-1]) + 1]:
        if v not in wanted:  # a gap such as [TLSv1.0, TLSv1.2]
            ctx.options |= _NO_FLAG[v]
    weak = wanted[0] in ("TLSv1.0", "TLSv1.1") or settings.variant in ("rsa1024", "sha1")
    ciphers = settings.ciphers
    if weak:
        ciphers = (ciphers or "DEFAULT") + ":@SECLEVEL=0"
    if ciphers:
        ctx.set_ciphers(ciphers)
    ctx.load_cert_chain(cert_file, key_file)
    if settings.alpn:
        ctx.set_alpn_protocols(list(settings.alpn))
    return ctx


@dataclass(slots=True)
class SniSelector:
    """Picks a context by SNI: an exact name, or a certificate made on first use for a sweep name.

    Sweep names (``d00001.sweep.test``) copy a lab host; they get a certificate of the host's variant
    and key for ``<label>.sweep.test`` and ``*.<label>.sweep.test``, issued by the lab CA when first asked.
    """

    default: ssl.SSLContext
    settings: TlsSettings
    key_file: Path
    ca: LabCA | None = None
    sweep_zone: str | None = None
    state_dir: Path | None = None
    by_prefix: dict[str, ssl.SSLContext] = field(default_factory=dict)  # "mta-sts." -> context
    _cache: dict[str, ssl.SSLContext] = field(default_factory=dict)
    _key: PrivateKey | None = None

    def install(self) -> ssl.SSLContext:
        self.default.sni_callback = self._callback
        for ctx in self.by_prefix.values():
            ctx.sni_callback = self._callback
        return self.default

    def _callback(self, sslobj: ssl.SSLObject, server_name: str | None, _ctx: ssl.SSLContext) -> None:
        if not server_name:
            return
        name = server_name.lower().rstrip(".")
        if self.sweep_zone and name.endswith("." + self.sweep_zone):
            sslobj.context = self._sweep_context(name)
            return
        for prefix, ctx in self.by_prefix.items():
            if name.startswith(prefix):
                sslobj.context = ctx
                return

    def _sweep_context(self, name: str) -> ssl.SSLContext:
        assert self.sweep_zone and self.ca and self.state_dir
        label = name[: -len(self.sweep_zone) - 1].split(".")[-1]
        base = f"{label}.{self.sweep_zone}"
        ctx = self._cache.get(base)
        if ctx is None:
            if self._key is None:
                self._key = load_key(self.key_file)
            cert = self.ca.issue([base, f"*.{base}"], self._key, self.settings.variant)
            path = self.state_dir / f"{base}.{id(self)}.pem"
            path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
            ctx = server_context(path, self.key_file, self.settings)
            self._cache[base] = ctx
        return ctx
