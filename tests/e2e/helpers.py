"""Steps shared by the e2e journeys: menus, form fields, flash messages, review screenshots."""

import re

from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Locator, Page, expect

from training.models import Competency, CompetencyLevel, DevelopmentForm
from training.reference_data import sync_reference_data

from ..conftest import PASSWORD
from .conftest import ARTIFACTS, PHONE, log_in

SHOTS = ARTIFACTS / "screenshots"
REVIEW_DESKTOP = {"width": 1366, "height": 800}


def national_reference_data() -> None:
    """Development forms and national competencies come from a data migration; an earlier
    transactional test may have flushed them, so put them back (idempotent)."""
    with scopes_disabled():
        sync_reference_data(DevelopmentForm, Competency, CompetencyLevel)


def logged_in(new_page, employee) -> Page:
    """A fresh browser (own cookies) where `employee` has logged in and sees their home."""
    page = new_page()
    log_in(page, employee.nip, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Selamat datang, {employee.name}")
    return page


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def field(scope: Page | Locator, label: str) -> Locator:
    """The input whose <label> reads `label` (a required field's "*" marker allowed)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def open_menu_item(page: Page, menu: str, item: str) -> None:
    """Click `item` in the navbar dropdown `menu`, opening the phone menu first if collapsed."""
    toggler = page.get_by_role("button", name="Buka menu")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#mainNav")).to_have_class(re.compile(r"\bshow\b"))
    navbar = page.get_by_role("navigation", name="Navigasi utama")
    dropdown = navbar.get_by_role("button", name=menu, exact=True)
    dropdown.click()
    menu_list = dropdown.locator("xpath=following-sibling::ul[1]")
    expect(menu_list).to_be_visible()
    menu_list.get_by_role("link", name=item).first.click()


def expect_flash(page: Page, text: str | re.Pattern) -> None:
    """A flash message (Django messages) on the page contains `text`."""
    expect(page.locator(".messages [role=alert]").filter(has_text=text)).to_be_visible()


def minimal_pdf() -> bytes:
    """A small but well-formed one-page PDF (header, objects, xref table, trailer)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # the content stream, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    text = b"BT /F1 18 Tf 72 760 Td (Sertifikat pelatihan) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def local_today():
    """Today in the portal's time zone (Asia/Jakarta), as the pages see it."""
    return timezone.localdate()


def sideways_overflow(page: Page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


CULPRITS_JS = """() => {
  const width = document.documentElement.clientWidth;
  const escapes = (style) => style.position === "absolute" || style.position === "fixed";
  // Clipped when an ancestor in its containing-block chain hides or scrolls its overflow (an
  // absolutely positioned box escapes the scrollers between it and its positioned ancestor).
  const clipped = (el) => {
    let free = escapes(getComputedStyle(el));
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (free) {
        if (style.position === "static") continue;
        free = escapes(style);
      }
      if (style.overflowX !== "visible") return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0 || clipped(el)) continue;
    if (found.some((outer) => outer.contains(el))) continue;
    found.push(el);
  }
  return found.slice(0, 5).map((el) => {
    const classes = String(el.className || "").trim().split(/\\s+/).filter(Boolean);
    const name = [el.tagName.toLowerCase(), ...classes].join(".");
    const text = el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${name} "${text}" (+${Math.round(el.getBoundingClientRect().right - width)}px)`;
  });
}"""


def sideways_culprits(page: Page) -> list[str]:
    """The outermost elements that stick out past the right edge of the viewport."""
    return page.evaluate(CULPRITS_JS)


def review_shots(page: Page, name: str, overflows: dict | None = None) -> None:
    """Full-page screenshots of the current page at desktop (1366x800) and phone (360x780)
    widths into test-artifacts/screenshots/, for a person to look at. When `overflows` is
    given, a page that scrolls sideways on the phone is noted in it (name → pixels and the elements that stick out)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, size in (("desktop", REVIEW_DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        if label == "phone" and overflows is not None:
            extra = sideways_overflow(page)
            if extra > 0:
                overflows[name] = f"{extra}px: {', '.join(sideways_culprits(page))}"
    if original:
        page.set_viewport_size(original)
