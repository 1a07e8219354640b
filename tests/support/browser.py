"""Headless Chromium for the browser tests: Debian's `chromium` and `chromium-driver`,
driven by selenium, with every host but loopback unreachable.

Nothing is fetched at run time: the browser and its driver are the system's (selenium's
own driver download is never reached, since both paths are given), names other than
loopback resolve to nothing, and any proxied request goes to a dead loopback port, so a
page that needs a CDN fails here as it fails behind a newsroom's firewall.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.servers import free_port

__all__ = [
    "assert_no_console_errors",
    "console_errors",
    "follow",
    "new_browser",
    "screenshot",
]

BROWSERS = ("chromium", "chromium-browser")
DRIVER = "chromedriver"
# Where screenshots for the docs go (e.g. docs/screenshots); unset: none are taken.
SCREENSHOTS = "CLAIMGRAPH_SCREENSHOTS"
_FAVICON_404 = re.compile(r"^https?://[^/]+/favicon\.ico - Failed to load resource: .* 404\b")
INSTALL_HINT = (
    "the browser tests need Debian's `chromium` and `chromium-driver` "
    "(apt-get install chromium chromium-driver; .ci/run installs them)"
)


def _system_browser() -> tuple[str, str]:
    browser = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    driver = shutil.which(DRIVER)
    missing = [name for name, path in (("chromium", browser), (DRIVER, driver)) if not path]
    if browser is None or driver is None:
        # A failure, not a skip: a suite that silently skips its browser tests claims a
        # coverage it does not have (issue 14).
        pytest.fail(f"{', '.join(missing)} not found on PATH: {INSTALL_HINT}", pytrace=False)
    return browser, driver


def _options(browser: str, javascript: bool) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        # Every host name but loopback resolves to nothing ...
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
        # ... and whatever would still go out goes to a port nobody listens on.
        f"--proxy-server=http://127.0.0.1:{free_port()}",
        "--proxy-bypass-list=127.0.0.1;localhost",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(argument)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium's sandbox refuses to run as root
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


def new_browser(javascript: bool = True) -> webdriver.Chrome:
    """A headless Chromium that reaches loopback only, with or without JavaScript; fails
    the test when none is here."""
    browser, driver = _system_browser()
    options = _options(browser, javascript)
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


def console_errors(driver: webdriver.Chrome) -> list[str]:
    """The SEVERE console entries since the last call (reading the log empties it).

    One is left out: the 404 of /favicon.ico, which Chromium asks for by itself on a page
    that names no icon (a JSON document cannot name one); a page's own failed loads count.
    """
    entries: list[dict[str, Any]] = driver.get_log("browser")
    return [
        str(entry["message"])
        for entry in entries
        if entry.get("level") == "SEVERE" and not _FAVICON_404.search(str(entry["message"]))
    ]


def assert_no_console_errors(driver: webdriver.Chrome) -> None:
    """Fails with the page's address and its console errors since the last reading."""
    errors = console_errors(driver)
    assert errors == [], f"console errors on {driver.current_url}: {errors}"


def screenshot(driver: webdriver.Chrome, name: str) -> Path | None:
    """Saves `<name>.png` in the folder CLAIMGRAPH_SCREENSHOTS names, for the docs;
    does nothing when it is unset."""
    folder = os.environ.get(SCREENSHOTS)
    if not folder:
        return None
    path = Path(folder) / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not driver.save_screenshot(str(path)):
        raise AssertionError(f"the browser saved no screenshot at {path}")
    return path


def follow(driver: webdriver.Chrome, act: Callable[[], object], seconds: float = 20) -> None:
    """Does `act` (a click on a link or a submit button, a form's submit) and waits until
    the browser has left the page it was on: elements found after this are the new page's,
    never the old one's."""
    old = driver.find_element(By.TAG_NAME, "html")

    def left(_: object) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # Asked mid-navigation, Chromium may say so in other words.
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    act()
    WebDriverWait(driver, seconds).until(left, f"the page did not change from {driver.current_url}")
