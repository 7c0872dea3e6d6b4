"""The product as `make run` starts it, seen by a browser: the Makefile's commands
(`migrate`, `load_demo`, `runserver`) in a subprocess with the embedded settings (no
DJANGO_ENV, SQLite in a temporary DJANGO_VAR_DIR, no broker), on a free port.

Loading the demo on SQLite takes most of the time (about a minute on a shared
two-core machine), so the server is started once for the module."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.real_clock]

BASE_DIR = Path(__file__).resolve().parents[2]
# What the suite sets for itself and `make run` does not have.
NOT_UNDER_MAKE_RUN = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ENV",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "CACHE_URL",
    "DJANGO_MEDIA_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EMBEDDED_LOOP_SECONDS",
}
HEADER_BLUE = "rgb(11, 79, 138)"  # --accent of static/css/site.css


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args: str, env: dict, **kwargs):
    return [sys.executable, "manage.py", *args], {"cwd": BASE_DIR, "env": env, **kwargs}


def wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    """The base URL of the product started as `make run` starts it."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_UNDER_MAKE_RUN}
    env["DJANGO_VAR_DIR"] = str(tmp_path_factory.mktemp("var"))
    for command in (("migrate", "--noinput"), ("load_demo",)):
        argv, options = manage(*command, env=env)
        done = subprocess.run(argv, capture_output=True, timeout=600, check=False, **options)
        assert done.returncode == 0, done.stderr.decode()[-3000:]
    port = free_port()
    argv, options = manage(
        "runserver",
        f"127.0.0.1:{port}",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # runserver's autoreloader runs the server as a child
    )
    server = subprocess.Popen(argv, **options)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{url}/", server)
        yield url
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


@pytest.fixture
def browser_page(browser, make_run):
    """A page of the suite's one browser (Playwright's sync API runs once per process)."""
    context = browser.new_context(locale="pl-PL", base_url=make_run)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_pages_load_their_stylesheet(browser_page):
    page = browser_page
    stylesheets = []
    page.on(
        "response",
        lambda r: stylesheets.append((r.url, r.status)) if r.url.endswith(".css") else None,
    )

    page.goto("/")

    page.wait_for_load_state("load")
    assert [(url.split("/", 3)[3], status) for url, status in stylesheets] == [
        ("static/css/site.css", 200)
    ]
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == HEADER_BLUE
    assert page.locator("body").evaluate("e => getComputedStyle(e).marginTop") == "0px"


def test_the_swagger_ui_renders_the_api(browser_page):
    page = browser_page

    response = page.goto("/api/docs/")

    assert response.status == 200
    page.locator(".swagger-ui .info .title").wait_for()
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Mikrowsparcia API")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 50  # the operations, read from /api/schema/
