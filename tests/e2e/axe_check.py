"""axe-core accessibility checks on a Playwright page (the vendored tests/e2e/vendor/axe-core).

`serious_violations(page)` runs axe on the page as it is and returns its serious and critical
violations, one readable line each (an empty list: clean). The script is evaluated through the
DevTools protocol, so the site's Content-Security-Policy (no inline scripts) need not be loosened.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def serious_violations(page, impacts: tuple[str, ...] = SERIOUS) -> list[str]:
    """axe's violations of WCAG 2.1 A/AA (and best practices) with these impacts, as lines."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['nodes'])}"
        for v in results
        if v["impact"] in impacts
    ]
