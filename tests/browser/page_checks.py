"""What the browser tests check on every page: console errors (CSP violations among them), horizontal
overflow on a phone, and axe-core's accessibility rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
# Served by page.route from the app's own origin: the CSP ('self' only) lets a same-origin script in, while
# page.add_script_tag(path=...) would inject it inline, which the CSP blocks.
AXE_URL_PATH = "/__browser-tests__/axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass
class ConsoleWatch:
    """Console errors and uncaught exceptions of every page of a context, with the page they came from."""

    errors: list[str] = field(default_factory=list)

    def attach(self, context: Any) -> ConsoleWatch:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))
        return self

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            page = message.page.url if message.page else "?"
            self.errors.append(f"{page}: {message.text}")

    def take(self) -> list[str]:
        taken, self.errors = self.errors, []
        return taken

    def assert_clean(self, where: str = "") -> None:
        errors = self.take()
        assert not errors, f"console errors{' on ' + where if where else ''}:\n" + "\n".join(errors)


# The layout viewport's width (documentElement.clientWidth), not window.innerWidth: a mobile Chromium zooms
# out to show a too-wide page whole, and innerWidth then grows with the content, so `scrollWidth <=
# innerWidth` would always hold on a phone.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    // In a scrolling table box only what escapes the box counts: absolutely positioned elements do when the
    // box is not their containing block (e.g. a visually hidden label in a wide table).
    const escapes = !el.closest('.table-scroll') || ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    if (r.width > 0 && r.right > width + 1 && escapes) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      const text = (el.textContent || '').trim().slice(0, 30);
      wide.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(r.right)}px) "${text}"`);
    } else if (el.scrollWidth > width + 1 && getComputedStyle(el).overflowX === 'visible'
               && !el.closest('.table-scroll')) {
      const id = el.id ? '#' + el.id : '';
      wide.push(`${el.tagName.toLowerCase()}${id}: content ${el.scrollWidth}px wide`);
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, width: width, innerWidth: window.innerWidth,
          wide: wide.slice(-8)};
}"""


def horizontal_overflow(page: Any) -> str | None:
    """None if the page fits the screen's width (wide tables scroll in their own box), else what sticks out."""
    found = page.evaluate(OVERFLOW_JS)
    if found["scrollWidth"] <= found["width"] + 1:
        return None
    return (f"{page.url} scrolls sideways: scrollWidth {found['scrollWidth']} > viewport width {found['width']} "
            f"(innerWidth {found['innerWidth']}); wider than the screen: {found['wide']}")


def install_axe(context: Any, base_url: str) -> None:
    """Serve axe-core from the app's origin (see AXE_URL_PATH) for every page of ``context``."""
    context.route(f"{base_url.rstrip('/')}{AXE_URL_PATH}",
                  lambda route: route.fulfill(path=str(AXE_JS), content_type="text/javascript"))


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the current page (every rule axe runs by default: WCAG 2.x A/AA, best practice)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL_PATH)
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe on {url}: {len(violations)} violation(s)"]
    for v in violations:
        lines.append(f"- [{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v["nodes"][:5]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
