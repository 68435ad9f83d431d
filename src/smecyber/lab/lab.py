"""``Lab``: start and stop the whole lab (DNS, web, mail) for tests, benchmarks and the demo."""

from __future__ import annotations

import atexit
import itertools
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from ..process_guard import die_with_parent
from . import zones
from .addresses import AddressPlan, BaseLock, acquire_base
from .dns_servers import DnsServers, require_binaries
from .dnssec import ZoneKeys, new_key, sign_zones
from .pki import KeyPool, LabCA, dkim_txt, key_kind, tlsa_311, write_key
from .spec import DOMAINS_DIR, DomainSpec, load_domains
from .web import docroot_dir

SERVER_START_TIMEOUT = 30.0


@dataclass(slots=True)
class LabTimings:
    """Seconds spent in each start phase (printed by benchmarks and `smecyber lab`)."""

    phases: dict[str, float] = field(default_factory=dict)

    def mark(self, name: str, since: float) -> float:
        now = time.monotonic()
        self.phases[name] = round(now - since, 3)
        return now


class Lab:
    """A small internet of ``.test`` domains on loopback.

    ``base`` selects the address block 127.<base>.0.0/16 (None: the first free one of 100-199, for tests).
    ``sweep_names`` adds ``sweep.test`` with that many names copying the non-hostile domains.
    ``latency_ms`` delays every accepted web and mail connection (benchmarks).
    """

    def __init__(self, *, base: int | None = None, domains_dir: Path = DOMAINS_DIR, sweep_names: int = 0,
                 latency_ms: int = 0, sweep_signed: bool = False) -> None:
        self.requested_base = base
        self.domains_dir = domains_dir
        self.sweep_count = sweep_names
        self.sweep_signed = sweep_signed
        self.latency_ms = latency_ms
        self.domains: list[DomainSpec] = []
        self.sweep_names: list[str] = []
        self.timings = LabTimings()
        self.state_dir: Path | None = None
        self.plan: AddressPlan | None = None
        self._lock: BaseLock | None = None
        self._dns: DnsServers | None = None
        self._servers: subprocess.Popen[str] | None = None
        self._addresses: dict[str, str] = {}
        self._sweep_sources: dict[str, str] = {}

    # --- public API -----------------------------------------------------------------------------------

    @property
    def nameserver(self) -> str:
        """The validating resolver to give the scanner, as HOST:PORT."""
        return f"{self._plan.resolver}:53"

    @property
    def authoritative(self) -> list[str]:
        """The authoritative servers (knot) as HOST:PORT."""
        return [f"{self._plan.ns1}:53", f"{self._plan.ns2}:53"]

    @property
    def ca_file(self) -> Path:
        assert self.state_dir is not None, "the lab is not started"
        return self.state_dir / "ca.pem"

    def address_of(self, domain: str) -> str:
        domain = domain.lower().rstrip(".")
        if domain in self._addresses:
            return self._addresses[domain]
        raise KeyError(f"{domain} is not a lab domain")

    def docroot(self, domain: str) -> Path:
        """The directory the lab web server serves ``/.well-known/smecyber-verification.txt`` of ``domain``
        from (``<docroot>/.well-known/smecyber-verification.txt``), created if missing: "upload" a file by
        writing it there, as an SME would to its web host."""
        assert self.state_dir is not None, "the lab is not started"
        path = docroot_dir(self.state_dir, domain)
        (path / ".well-known").mkdir(parents=True, exist_ok=True)
        return path

    def spec(self, domain: str) -> DomainSpec:
        for s in self.domains:
            if s.domain == domain:
                return s
        raise KeyError(f"{domain} is not a lab domain")

    def scan_command(self, domain: str = "good.test") -> str:
        return (f"smecyber scan --nameserver {self.nameserver} --ca-file {self.ca_file} "
                f"--allow-loopback {domain}")

    def __enter__(self) -> Lab:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- start / stop ---------------------------------------------------------------------------------

    def start(self) -> Lab:
        t0 = t = time.monotonic()
        require_binaries()
        self.domains = load_domains(self.domains_dir)
        self._lock = acquire_base(self.requested_base)
        try:
            self.plan = AddressPlan(self._lock.base)
            self.state_dir = Path(tempfile.mkdtemp(prefix=f"smecyber-lab-{self.plan.base}-"))
            atexit.register(self.stop)
            t = self.timings.mark("load", t)
            pool = KeyPool()
            ca = LabCA.create(pool.get("ca"))  # type: ignore[arg-type]
            ca.write(self.state_dir / "ca.pem", self.state_dir / "ca.key")
            t = self.timings.mark("keys", t)
            hosts, zone_texts = self._build_hosts_and_zones(ca, pool)
            t = self.timings.mark("certs_and_zones", t)
            self._start_servers(hosts, ca)
            zone_files = self._sign(zone_texts)
            t = self.timings.mark("dnssec", t)
            self._dns = DnsServers(self.plan, self.state_dir)
            self._dns.start(zone_files, self.state_dir / "test.anchor")
            t = self.timings.mark("dns_start", t)
            self._wait_servers()
            self.timings.mark("servers_ready", t)
            self.timings.mark("total", t0)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        t = time.monotonic()
        if self._servers is not None:
            if self._servers.poll() is None:
                self._servers.terminate()
                try:
                    self._servers.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._servers.kill()
                    self._servers.wait()
            if self._servers.stdin:
                self._servers.stdin.close()
            if self._servers.stdout:
                self._servers.stdout.close()
            self._servers = None
        if self._dns is not None:
            self._dns.stop()
            self._dns = None
        if self.state_dir is not None and self.state_dir.exists() and not os.environ.get("SMECYBER_LAB_KEEP"):
            shutil.rmtree(self.state_dir, ignore_errors=True)
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.timings.phases["stop"] = round(time.monotonic() - t, 3)

    # --- internals ------------------------------------------------------------------------------------

    @property
    def _plan(self) -> AddressPlan:
        assert self.plan is not None, "the lab is not started"
        return self.plan

    def _build_hosts_and_zones(self, ca: LabCA, pool: KeyPool) -> tuple[list[dict[str, Any]], dict[str, str]]:
        assert self.state_dir is not None
        certs = self.state_dir / "certs"
        certs.mkdir()
        flood = itertools.count()
        hosts: list[dict[str, Any]] = []
        texts: dict[str, str] = {}
        for index, spec in enumerate(self.domains):
            address = self._plan.domain_address(index)
            self._addresses[spec.domain] = address
            data = zones.ZoneData(address)
            roles: dict[str, dict[str, Any]] = {}
            names = [spec.domain, f"*.{spec.domain}"]
            web_key = None
            if spec.web is not None or spec.mta_sts is not None:
                variant = spec.web.cert if spec.web else "valid"
                key_type = spec.web.key if spec.web else "rsa"
                web_key = pool.get(key_kind(key_type, variant))
                versions = spec.web.tls_versions if spec.web else ("TLSv1.2", "TLSv1.3")
                ciphers = spec.web.ciphers if spec.web else None
                roles["web"] = self._issue(ca, certs, spec.domain, "web", names, web_key, variant, versions, ciphers)
                if spec.mta_sts is not None and spec.mta_sts.cert not in (None, variant):
                    roles["mta_sts"] = self._issue(ca, certs, spec.domain, "mta_sts", names, web_key,
                                                   spec.mta_sts.cert or variant, versions, ciphers)
            if spec.mail is not None:
                m = spec.mail
                mail_key = pool.get(key_kind(m.key, m.cert))
                roles["mail"] = self._issue(ca, certs, spec.domain, "mail", names, mail_key, m.cert,
                                            m.tls_versions, m.ciphers)
            for role, info in roles.items():
                data.tlsa[role] = info.pop("tlsa")
            for d in spec.dkim:
                key = None if d.revoked else pool.get("ed25519" if d.type == "ed25519" else f"rsa{d.bits}")
                data.dkim[d.selector] = dkim_txt(key)
            texts[spec.domain] = zones.domain_zone(spec, data, self._plan, lambda: next(flood))
            hosts.append({"domain": spec.domain, "address": address, "tls": roles})
        if self.sweep_count:
            sources = [s for s in self.domains if not s.hostile and s.dnssec != "bogus"]
            self.sweep_names = [f"d{i:05d}.{zones.SWEEP_ZONE}" for i in range(1, self.sweep_count + 1)]
            entries = [(name.split(".")[0], sources[i % len(sources)], texts[sources[i % len(sources)].domain])
                       for i, name in enumerate(self.sweep_names)]
            texts[zones.SWEEP_ZONE] = zones.sweep_zone(entries)
            self._sweep_sources = {name: e[1].domain for name, e in zip(self.sweep_names, entries, strict=True)}
        return hosts, texts

    @staticmethod
    def _issue(ca: LabCA, directory: Path, domain: str, role: str, names: list[str], key: Any, variant: str,
               versions: tuple[str, ...], ciphers: str | None) -> dict[str, Any]:
        cert = ca.issue(names, key, variant)
        cert_file, key_file = directory / f"{domain}.{role}.pem", directory / f"{domain}.{role}.key"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        write_key(key, key_file)
        return {"cert": str(cert_file), "key": str(key_file), "variant": variant, "versions": list(versions),
                "ciphers": ciphers, "tlsa": tlsa_311(cert)}

    def sweep_source(self, name: str) -> str:
        """The lab domain a sweep name copies."""
        return self._sweep_sources[name]

    def _sign(self, texts: dict[str, str]) -> dict[str, Path]:
        assert self.state_dir is not None
        zdir = self.state_dir / "zones"
        keydir = self.state_dir / "keys"
        zdir.mkdir()
        keydir.mkdir()
        modes = {s.domain: s.dnssec for s in self.domains}
        modes[zones.SWEEP_ZONE] = "secure" if self.sweep_signed else "insecure"
        keys = {z: ZoneKeys.create(z) for z, mode in modes.items() if z in texts and mode != "insecure"}
        ds: dict[str, list[str]] = {}
        for zone, k in keys.items():
            # bogus: the parent vouches for a key the zone does not use
            ksk = new_key(zone, 257) if modes[zone] == "bogus" else k.ksk
            ds[zone] = [ksk.ds_text()]
        # the sweep zone is large and always uses the lab nameservers: do not parse it again
        delegations = {z: list(zones.NS_NAMES) if z == zones.SWEEP_ZONE else zones.delegation_ns(t, z)
                       for z, t in texts.items()}
        texts = {**texts, "test": zones.root_zone(self._plan, delegations, ds)}
        keys["test"] = ZoneKeys.create("test")
        files: dict[str, Path] = {}
        jobs = []
        for zone, text in texts.items():
            path = zdir / f"{zone}.zone"
            path.write_text(text)
            if zone in keys:
                jobs.append((zone, path, keys[zone]))
            else:
                files[zone] = path
        files.update(sign_zones(jobs, keydir))
        (self.state_dir / "test.anchor").write_text(f"test. IN DS {keys['test'].ksk.ds_text()}\n")
        return files

    def _start_servers(self, hosts: list[dict[str, Any]], ca: LabCA) -> None:
        assert self.state_dir is not None
        plan = {
            "domains_dir": str(self.domains_dir), "state_dir": str(self.state_dir),
            "ca": [str(self.state_dir / "ca.pem"), str(self.state_dir / "ca.key")],
            "sweep_zone": zones.SWEEP_ZONE if self.sweep_count else None,
            "latency_ms": self.latency_ms, "hosts": hosts,
        }
        plan_file = self.state_dir / "servers.json"
        plan_file.write_text(json.dumps(plan, indent=1))
        src = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self._servers = subprocess.Popen(
            [sys.executable, "-m", "smecyber.lab.serve", str(plan_file)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=open(self.state_dir / "servers.log", "w"),  # noqa: SIM115
            text=True, env=env, preexec_fn=die_with_parent,
        )

    def _wait_servers(self) -> None:
        assert self._servers is not None and self._servers.stdout is not None and self.state_dir is not None
        ready, _, _ = select.select([self._servers.stdout], [], [], SERVER_START_TIMEOUT)
        line = self._servers.stdout.readline().strip() if ready else "no answer within the timeout"
        if line != "READY":
            log = (self.state_dir / "servers.log").read_text(errors="replace")[-1500:]
            raise RuntimeError(f"lab web/mail servers did not start: {line or 'exited'}\n{log}")
