"""Playwright driving Debian's chromium against ``live_server``, with axe-core run on
every page a test visits (``accessible`` fixture)."""

import json
import os

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def browser_env() -> dict[str, str]:
    """The browser keeps the machine's real clock when the suite runs under libfaketime
    (scripts/test.sh with TEST_FAKETIME): Chromium does not run under it, and cookies
    carry Max-Age, so the server's clock need not agree with the browser's."""
    faked = {"LD_PRELOAD", "FAKETIME"}
    return {name: value for name, value in os.environ.items() if name not in faked}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=browser_env()
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="pl-PL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


class AccessibilityChecker:
    """Runs axe on the current page and remembers which pages were checked."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.checked: list[str] = []

    def __call__(self, page) -> None:
        # After a click on a link the new document may still be loading: axe reads it whole.
        page.wait_for_load_state("load")
        results = self.axe.run(page, options=WCAG_AA)
        self.checked.append(page.url)
        violations = [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results.response["violations"]
        ]
        assert violations == [], f"{page.url}: {json.dumps(violations, ensure_ascii=False)}"


@pytest.fixture
def accessible():
    return AccessibilityChecker()
