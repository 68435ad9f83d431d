"""`smecyber demo` (the README's run command until the web platform exists): start the lab, scan every
lab domain for real, print the report, and keep the lab running so a person can try their own scans."""

from __future__ import annotations

import asyncio
import sys
import time

from .catalog import ui_text
from .checks.config import ScanConfig
from .checks.engine import scan
from .report.text_report import ProgressBar, make_console, render_text


def run_demo(*, lang: str = "en", wait: bool = True) -> int:
    from .lab.lab import Lab
    from .lab.runner import describe

    console = make_console()
    with Lab() as lab:
        domains = sorted(d.domain for d in lab.domains)
        config = ScanConfig.build(
            domains, nameservers=[lab.nameserver], ca_file=lab.ca_file, allow_loopback=True, depth="deep",
            timeout=5, total_timeout=30,
        )
        started = time.time()
        with ProgressBar(len(domains), enabled=True) as bar:
            results, _ = asyncio.run(scan(config, bar.advance))
        render_text(results, config, lang=lang, details=False, color=True, elapsed=time.time() - started,
                    console=console)
        good = [r for r in results if r.domain == "good.test"]
        if good:
            render_text(good, config, lang=lang, details=False, color=True, elapsed=good[0].duration_s,
                        console=console)
        describe(lab, sys.stdout)
        if wait:
            console.print(ui_text("demo.wait", lang))
            try:
                while True:
                    time.sleep(1)
            except KeyboardInterrupt:
                pass
    return 0
