"""Accessibility and Content-Security-Policy checks on every page a journey visits.

Each browser context gets two init scripts (Playwright injects them outside the page's CSP):
- axe-core (vendored, tests/e2e/vendor/axe-core) runs when a page has loaded and logs its
  serious and critical WCAG 2.1 A/AA violations to the console;
- a `securitypolicyviolation` listener logs every CSP violation (enforced or report-only).
`PageChecks` collects both from the console; the `new_page` fixture runs axe once more on
each page still open at the end and fails the test on anything collected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
AXE_TAG = "kompetensi-axe:"
CSP_TAG = "kompetensi-csp:"
IMPACTS = ("serious", "critical")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Runs in the page: axe on load (top frame only), and the CSP listener.
INIT_SCRIPT = f"""
(() => {{
  document.addEventListener('securitypolicyviolation', (e) => {{
    console.error('{CSP_TAG} ' + JSON.stringify({{
      directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
      line: e.lineNumber, sample: e.sample, disposition: e.disposition, page: location.pathname
    }}));
  }});
  if (window.top !== window) return;
  window.__kompetensiAxe = () => window.axe.run(document, {json.dumps(AXE_OPTIONS)}).then((r) =>
    r.violations.filter((v) => {json.dumps(list(IMPACTS))}.includes(v.impact)).map((v) => ({{
      id: v.id, impact: v.impact, help: v.help, page: location.pathname,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))
    }})));
  window.addEventListener('load', () => setTimeout(() => {{
    window.__kompetensiAxe().then((found) => {{
      if (found.length) console.error('{AXE_TAG} ' + JSON.stringify(found));
    }}).catch(() => {{}});
  }}, 50));
}})();
"""


@dataclass
class PageChecks:
    axe: list[dict] = field(default_factory=list)
    csp: list[dict] = field(default_factory=list)

    def install(self, context) -> None:
        context.add_init_script(script=AXE_SOURCE)
        context.add_init_script(script=INIT_SCRIPT)
        context.on("console", self._on_console)

    def _on_console(self, message) -> None:
        text = message.text
        if text.startswith(AXE_TAG):
            self._add_axe(json.loads(text[len(AXE_TAG) :]))
        elif text.startswith(CSP_TAG):
            self.csp.append(json.loads(text[len(CSP_TAG) :]))

    def _add_axe(self, found: list[dict]) -> None:
        seen = {(v["id"], v["page"], tuple(v["nodes"])) for v in self.axe}
        self.axe.extend(v for v in found if (v["id"], v["page"], tuple(v["nodes"])) not in seen)

    def check_now(self, page) -> None:
        """Run axe on the page as it is now (the last page of a journey)."""
        try:
            found = page.evaluate("() => window.__kompetensiAxe ? window.__kompetensiAxe() : []")
        except Exception:  # a closed or crashed page: its own error is the test's
            return
        self._add_axe(found)

    def problems(self) -> list[str]:
        lines = [
            f"axe {v['impact']} {v['id']} on {v['page']}: {v['help']} — {', '.join(v['nodes'])}"
            for v in self.axe
        ]
        lines += [
            f"CSP {v['disposition']} {v['directive']} on {v['page']}: blocked {v['blocked']!r} "
            f"at {v['source']}:{v['line']} {v.get('sample') or ''}".rstrip()
            for v in self.csp
        ]
        return lines
