"""The lab's web and mail servers, run as a child process: ``python -m smecyber.lab.serve PLAN.json``.

A separate process keeps the servers' CPU work (TLS handshakes, sslyze's hundreds of probes) off the
scanner's event loop and GIL, so tests and benchmarks measure the scanner. The process prints ``READY``
once every port listens, and exits on SIGTERM or when its stdin closes (its parent died).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import signal
import sys
from pathlib import Path
from typing import Any

from .pki import LabCA
from .smtp import SmtpHost
from .spec import load_domains
from .tls_contexts import SniSelector, TlsSettings, server_context
from .web import WebHost, reset_during_handshake


async def start_servers(plan: dict[str, Any]) -> list[asyncio.AbstractServer]:
    specs = {s.domain: s for s in load_domains(Path(plan["domains_dir"]))}
    state = Path(plan["state_dir"])
    ca = LabCA.load(Path(plan["ca"][0]), Path(plan["ca"][1]))
    sweep = plan.get("sweep_zone")
    latency = int(plan.get("latency_ms", 0))
    servers: list[asyncio.AbstractServer] = []
    sni_dir = state / "sni"
    sni_dir.mkdir(exist_ok=True)

    def selector(role: dict[str, Any], alpn: tuple[str, ...]) -> SniSelector:
        settings = TlsSettings(tuple(role["versions"]), role["ciphers"], role["variant"], alpn)
        ctx = server_context(Path(role["cert"]), Path(role["key"]), settings)
        return SniSelector(ctx, settings, Path(role["key"]), ca, sweep, sni_dir)

    for host in plan["hosts"]:
        spec = specs[host["domain"]]
        addr = host["address"]
        roles = host["tls"]
        if spec.web is not None or spec.mta_sts is not None:
            web = WebHost(spec, latency, state)
            if spec.web is None or spec.web.http != "none":
                handler = functools.partial(web.handle, tls=False)
                servers.append(await asyncio.start_server(handler, addr, 80, reuse_address=True))
            if spec.web is not None and spec.web.behaviour == "reset_handshake":
                servers.append(await asyncio.start_server(reset_during_handshake, addr, 443, reuse_address=True))
            elif spec.has_https_server:
                sel = selector(roles["web"], ("http/1.1",))
                if "mta_sts" in roles:
                    sel.by_prefix["mta-sts."] = selector(roles["mta_sts"], ("http/1.1",)).install()
                ctx = sel.install()
                handler = functools.partial(web.handle, tls=True)
                servers.append(await asyncio.start_server(
                    handler, addr, 443, ssl=ctx, ssl_handshake_timeout=10, reuse_address=True))
        if spec.mail is not None and spec.mail.smtp:
            tls_ctx = selector(roles["mail"], ()).install() if spec.mail.starttls else None
            smtp = SmtpHost(f"mail.{spec.domain}", tls_ctx, latency)
            servers.append(await asyncio.start_server(smtp.handle, addr, 25, reuse_address=True))
    return servers


async def main_async(plan_file: Path) -> None:
    plan = json.loads(plan_file.read_text())
    servers = await start_servers(plan)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.buffer.read1(1) else None)
    print("READY", flush=True)
    await stop.wait()
    for s in servers:
        s.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(asyncio.gather(*(s.wait_closed() for s in servers)), 1)


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m smecyber.lab.serve PLAN.json")
    try:
        asyncio.run(main_async(Path(sys.argv[1])))
    except Exception as exc:
        print(f"FAILED {type(exc).__name__}: {exc}", flush=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
