"""End-to-end harness: Playwright (sync API) driving Debian's Chromium against `live_server`.

Playwright's own browser download is not used: the browser is the system Chromium
(`/usr/bin/chromium`, or `CHROMIUM_PATH`). Every test gets a fresh browser context (cookies,
storage) in locale id-ID; on failure each open page is saved as a PNG in `test-artifacts/`.

`live_server` runs the app in a thread against the test database, so these tests use
`transactional_db` (pytest-django requests it for them) and create data with scopes disabled.
"""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from .a11y import PageChecks

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=id-ID",  # native widgets (date inputs, file pickers) as Indonesian users see them
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 780}  # a common low-end Android phone
TIMEOUT_MS = 15_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse
    the ORM calls of the tests and their fixtures (data, database flush) as "async unsafe".
    Set while the e2e package runs, never process-wide: `check --deploy` rightly rejects it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test's flush recreates the content types with new ids (PostgreSQL);
    the process-wide ContentType cache, shared with the live server's thread, must follow."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One Chromium for the session, started after the test database exists (creating it
    while Playwright's loop runs would trip Django's async-safety check)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package or set "
            "CHROMIUM_PATH (Playwright's own browser download is not used)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """Open a page in a fresh context: `new_page()` for desktop, `new_page(viewport=PHONE)`."""
    contexts = []
    checks = PageChecks()

    def _new_page(*, viewport=None, is_mobile=False) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            viewport=viewport or DESKTOP,
            is_mobile=is_mobile,
            has_touch=is_mobile,
        )
        context.set_default_timeout(TIMEOUT_MS)
        checks.install(context)
        contexts.append(context)
        return context.new_page()

    yield _new_page

    for context in contexts:
        for open_page in context.pages:
            checks.check_now(open_page)

    failed = any(
        getattr(getattr(request.node, f"rep_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    for index, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
            for page_index, page in enumerate(context.pages):
                path = ARTIFACTS / f"{name}-{index}-{page_index}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                except Exception as exc:  # a crashed page must not hide the test's own error
                    print(f"could not save screenshot {path}: {exc}")
                else:
                    print(f"screenshot of the failure: {path}")
        context.close()
    problems = checks.problems()
    if problems and not failed:
        pytest.fail(
            "Accessibility (axe-core, serious/critical) or Content-Security-Policy problems on "
            "the pages visited:\n" + "\n".join(problems),
            pytrace=False,
        )


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


def log_in(page: Page, login: str, password: str) -> None:
    """Log in through the real login form (opened unless the page is on it already) and wait
    until the browser has left it. `login` is a NIP, an email or a username."""
    login_path = reverse("account_login")
    if not page.url.split("?")[0].endswith(login_path):
        page.goto(login_path)
    form = page.locator(f"form[action='{login_path}']")
    form.locator("input[name='login']").fill(login)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        form.get_by_role("button", name="Masuk").click()
    expect(page).not_to_have_url(re.compile(re.escape(login_path) + r"(\?|$)"))
