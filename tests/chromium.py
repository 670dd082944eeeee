"""Debian's headless Chromium driven by selenium, started the one way this machine allows
(no sandbox as root, no background networking: the network is closed)."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,900")


def require_browser() -> None:
    """Skip a browser test where Chromium, its driver or selenium is missing; under CI, fail."""
    import pytest

    missing = []
    if not CHROMIUM:
        missing.append("chromium")
    if not DRIVER:
        missing.append("chromedriver (apt: chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install '.[test]')")
    if missing:
        reason = "browser tests need " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so this is a failure)")
        pytest.skip(reason)


@contextmanager
def chromium_driver(prefix: str = "chromium-profile-"):
    """A selenium Chrome driver on a fresh, throw-away profile; quit and cleaned up after."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix=prefix)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def served(site, base: str):
    """`site` served by `briefing serve`'s server on a free loopback port, in a thread; yields
    the URL of `base` on it and shuts the server down after."""
    import threading

    from builder import serve

    httpd = serve.make_server(site, base, "127.0.0.1", 0, None)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}{base}"
    finally:
        httpd.shutdown()
        httpd.server_close()
