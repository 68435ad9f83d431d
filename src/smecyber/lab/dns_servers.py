"""The lab's DNS: knot serves the (pre-signed) zones, unbound validates with the lab root's trust anchor.

knot listens on ns1/ns2.lab.test (port 53 of two lab addresses) so a check that asks a zone's
nameservers directly reaches them; unbound is the resolver the scanner is given. It answers NXDOMAIN for
every name outside ``test.`` (locally) so nothing can leak to the real root servers.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import dns.flags
import dns.message
import dns.query
import dns.rcode

from ..process_guard import die_with_parent
from .addresses import AddressPlan

PACKAGES_HINT = "install the Debian packages knot, unbound and ldnsutils (apt-get install -y knot unbound ldnsutils)"


def require_binaries() -> None:
    missing = [b for b in ("knotd", "unbound", "ldns-signzone") if shutil.which(b) is None]
    if missing:
        raise RuntimeError(f"the lab needs {', '.join(missing)}: {PACKAGES_HINT}")


def knot_config(plan: AddressPlan, state: Path, zone_files: dict[str, Path]) -> str:
    zones = "\n".join(f"  - domain: {z}.\n    file: {f}" for z, f in sorted(zone_files.items()))
    return f"""server:
  listen: [{plan.ns1}@53, {plan.ns2}@53]
  rundir: {state}
  udp-workers: 2
  tcp-workers: 2
  background-workers: 2

database:
  storage: {state}/db

log:
  - target: stderr
    any: warning

control:
  listen: {state}/knot.sock

template:
  - id: default
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off

zone:
{zones}
"""


def unbound_config(plan: AddressPlan, state: Path, trust_anchor: Path) -> str:
    return f"""server:
  interface: {plan.resolver}
  port: 53
  do-ip6: no
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "{state}"
  pidfile: "{state}/unbound.pid"
  use-syslog: no
  logfile: ""
  verbosity: 0
  num-threads: 1
  so-reuseport: no
  access-control: 127.0.0.0/8 allow
  trust-anchor-file: "{trust_anchor}"
  module-config: "validator iterator"
  qname-minimisation: no
  val-log-level: 1
  # everything outside the lab does not exist (NXDOMAIN, answered locally), so no query ever leaves
  # loopback and a record naming an outside host behaves as a dangling name does on the internet
  local-zone: "." static
  local-zone: "test." transparent
  cache-max-ttl: 300
  cache-max-negative-ttl: 5
  infra-host-ttl: 60
  msg-buffer-size: 65552

remote-control:
  control-enable: no

stub-zone:
  name: "test."
  stub-addr: {plan.ns1}@53
  stub-addr: {plan.ns2}@53
"""


class DnsServers:
    def __init__(self, plan: AddressPlan, state: Path) -> None:
        self.plan = plan
        self.state = state
        self.knot: subprocess.Popen[bytes] | None = None
        self.unbound: subprocess.Popen[bytes] | None = None

    def start(self, zone_files: dict[str, Path], trust_anchor: Path) -> None:
        require_binaries()
        kdir = self.state / "knot"
        (kdir / "db").mkdir(parents=True, exist_ok=True)
        kconf = kdir / "knot.conf"
        kconf.write_text(knot_config(self.plan, kdir, zone_files))
        self.knot = subprocess.Popen(["knotd", "-c", str(kconf)], stdout=subprocess.DEVNULL, preexec_fn=die_with_parent,
                                     stderr=open(kdir / "knot.log", "wb"))  # noqa: SIM115
        udir = self.state / "unbound"
        udir.mkdir(exist_ok=True)
        uconf = udir / "unbound.conf"
        uconf.write_text(unbound_config(self.plan, udir, trust_anchor))
        self.unbound = subprocess.Popen(["unbound", "-d", "-c", str(uconf)], stdout=subprocess.DEVNULL,
                                        preexec_fn=die_with_parent,
                                        stderr=open(udir / "unbound.log", "wb"))  # noqa: SIM115
        # knot loads zones after it starts answering; wait until the last zones are served
        for zone in sorted(zone_files, key=lambda z: z != "test"):
            self._wait(self.plan.ns1, zone, "SOA", self.knot, kdir / "knot.log")
        self._wait(self.plan.resolver, "ns1.lab.test", "A", self.unbound, udir / "unbound.log", want_ad=True)

    def _wait(self, server: str, name: str, rdtype: str, proc: subprocess.Popen[bytes], log: Path,
              *, want_ad: bool = False, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}: {_tail(log)}")
            query = dns.message.make_query(name, rdtype, want_dnssec=True)
            try:
                response = dns.query.udp(query, server, port=53, timeout=0.2)
            except Exception as exc:
                last = f"{type(exc).__name__}: {exc}"
                time.sleep(0.02)
                continue
            if response.rcode() == dns.rcode.NOERROR and response.answer:
                if not want_ad or response.flags & dns.flags.AD:
                    return
                last = "answer without AD: the trust anchor does not validate"
            else:
                last = dns.rcode.to_text(response.rcode())
            time.sleep(0.02)
        raise RuntimeError(f"{proc.args[0]} did not serve {name} {rdtype} on {server}: {last}; {_tail(log)}")

    def stop(self) -> None:
        for proc in (self.unbound, self.knot):
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in (self.unbound, self.knot):
            if proc is not None:
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.unbound = self.knot = None


def _tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-800:].strip() or "(empty log)"
    except OSError:
        return "(no log)"
