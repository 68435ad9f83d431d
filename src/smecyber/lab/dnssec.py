"""DNSSEC for the lab: ECDSA P-256 keys made in Python, zones signed offline with ``ldns-signzone``.

Keys are generated here (not with a key generator per zone) so the DS records of every child are known
before any zone is signed, and all zones can then be signed in parallel in one pass (~10 ms per small zone).
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import dns.dnssec
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
from cryptography.hazmat.primitives.asymmetric import ec

ALGORITHM = 13  # ECDSAP256SHA256
SIGNZONE = "ldns-signzone"


@dataclass(slots=True)
class ZoneKey:
    zone: str
    flags: int  # 257 KSK, 256 ZSK
    private: ec.EllipticCurvePrivateKey

    @property
    def dnskey_text(self) -> str:
        nums = self.private.public_key().public_numbers()
        raw = nums.x.to_bytes(32, "big") + nums.y.to_bytes(32, "big")
        return f"{self.flags} 3 {ALGORITHM} {base64.b64encode(raw).decode()}"

    @property
    def dnskey(self) -> dns.rdata.Rdata:
        return dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY, self.dnskey_text)

    @property
    def tag(self) -> int:
        return dns.dnssec.key_id(self.dnskey)  # type: ignore[arg-type]

    def ds_text(self) -> str:
        return dns.dnssec.make_ds(dns.name.from_text(self.zone), self.dnskey, "SHA256").to_text()

    def write(self, directory: Path) -> str:
        """Write the key in BIND format (what ldns-signzone reads); returns the file base name."""
        base = f"K{self.zone}.+{ALGORITHM:03d}+{self.tag:05d}"
        (directory / f"{base}.key").write_text(f"{self.zone}. IN DNSKEY {self.dnskey_text}\n")
        scalar = self.private.private_numbers().private_value.to_bytes(32, "big")
        private = directory / f"{base}.private"
        private.write_text("Private-key-format: v1.2\nAlgorithm: 13 (ECDSAP256SHA256)\n"
                           f"PrivateKey: {base64.b64encode(scalar).decode()}\n")
        private.chmod(0o600)
        return str(directory / base)


def new_key(zone: str, flags: int) -> ZoneKey:
    return ZoneKey(zone.rstrip("."), flags, ec.generate_private_key(ec.SECP256R1()))


@dataclass(slots=True)
class ZoneKeys:
    ksk: ZoneKey
    zsk: ZoneKey

    @classmethod
    def create(cls, zone: str) -> ZoneKeys:
        return cls(new_key(zone, 257), new_key(zone, 256))


def require_tools() -> None:
    if shutil.which(SIGNZONE) is None:
        raise RuntimeError(f"{SIGNZONE} not found: install the Debian package ldnsutils")


def sign_zones(jobs: list[tuple[str, Path, ZoneKeys]], key_dir: Path) -> dict[str, Path]:
    """Sign each (zone, unsigned file, keys); returns zone -> signed file. Runs the signers in parallel."""
    require_tools()
    now = dt.datetime.now(dt.UTC)
    inception = (now - dt.timedelta(days=1)).strftime("%Y%m%d%H%M%S")
    expiration = (now + dt.timedelta(days=3650)).strftime("%Y%m%d%H%M%S")

    def sign(job: tuple[str, Path, ZoneKeys]) -> tuple[str, Path]:
        zone, unsigned, keys = job
        out = unsigned.with_suffix(".signed")
        bases = [keys.ksk.write(key_dir), keys.zsk.write(key_dir)]
        cmd = [SIGNZONE, "-i", inception, "-e", expiration, "-o", zone, "-f", str(out), str(unsigned), *bases]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"signing {zone} failed: {proc.stderr.strip() or proc.stdout.strip()}")
        return zone, out

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(sign, jobs))
