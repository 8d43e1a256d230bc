"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's
live_server.

One headless chromium per session, a fresh context (cookies, storage) per test, a screenshot
of every open page into test-results/ when a test fails. Never `playwright install`: the
browser is the system's /usr/bin/chromium.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would then refuse ORM calls
# made by the test itself ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("BANGFU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
DEMO_PASSWORD = "bangfu-demo"
TIMEOUT_MS = 15_000


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context(browser, request, **options):
    context = browser.new_context(locale="zh-CN", accept_downloads=True, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


def _screenshot_on_failure(context, request) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    RESULTS_DIR.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
    for i, page in enumerate(context.pages):
        try:
            page.screenshot(path=str(RESULTS_DIR / f"{stem}-{i}.png"), full_page=True)
            (RESULTS_DIR / f"{stem}-{i}.html").write_text(page.content(), encoding="utf-8")
        except Exception:  # noqa: BLE001 - a screenshot must never hide the real failure
            pass


@pytest.fixture(autouse=True)
def _standards(transactional_db):
    """The five standards and default thresholds, as migration standards 0002 loads them: an
    earlier transactional test's flush empties every table, data migrations included, so a
    browser test that evaluates must not depend on running first."""
    from bangfu.standards.services.load import load_standards

    load_standards()


@pytest.fixture
def context(browser, request, live_server):
    context = _context(browser, request, viewport={"width": 1280, "height": 900})
    yield context
    _screenshot_on_failure(context, request)
    context.close()


@pytest.fixture
def phone_context(browser, request, live_server):
    """A phone: 390×844 CSS pixels, touch, a mobile user agent."""
    context = _context(
        browser,
        request,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    yield context
    _screenshot_on_failure(context, request)
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def phone_page(phone_context):
    return phone_context.new_page()


@pytest.fixture
def demo_world(transactional_db):
    """A small demo registry (龙州县 and 钟山县) and the demo users, password bangfu-demo."""
    from bangfu.registry.services import demo

    return demo.build(seed=20, households=60)


@pytest.fixture
def url(live_server):
    """url("/registry/households/") → the live server's absolute URL."""

    def _url(path: str) -> str:
        return live_server.url + path

    return _url


@pytest.fixture
def login(url):
    """login(page, username): log in through the login form, as a person does."""

    def _login(page, username: str, password: str = DEMO_PASSWORD):
        page.goto(url("/accounts/login/"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(url("/"))
        return page

    return _login
