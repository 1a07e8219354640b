"""The browser tests' fixtures: `claimgraph serve --demo` on a database of its own, and a
headless Chromium that reaches nothing but that server (tests/support/browser.py).

Both are built once per module; tests/support/groups.py keeps the modules of this folder
on one worker, so one browser runs at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from selenium import webdriver

from tests.support.browser import console_errors, new_browser
from tests.support.database import fresh_database
from tests.support.servers import serve_demo

FIND_CLAIM = """query($q: String!) { claims(search: $q, first: 1) { edges { node { id } } } }"""


@dataclass(frozen=True)
class Served:
    base_url: str
    log: Path
    database_url: str

    def claim_id(self, search: str) -> str:
        """The global id of the first claim `claims(search:)` finds, asked over HTTP."""
        answer = httpx.post(
            f"{self.base_url}/graphql",
            json={"query": FIND_CLAIM, "variables": {"q": search}},
            timeout=30,
        ).json()
        edges = answer["data"]["claims"]["edges"]
        assert edges, f"the demo data has no claim matching {search!r}: {answer}"
        return str(edges[0]["node"]["id"])


@pytest.fixture(scope="module")
async def browser_database() -> AsyncIterator[str]:
    async with fresh_database("claimgraph_browser") as url:
        yield url


@pytest.fixture(scope="module")
def served(browser_database: str) -> Iterator[Served]:
    with serve_demo(browser_database) as server:
        yield Served(server.base_url, server.log, browser_database)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver = new_browser()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: webdriver.Chrome) -> webdriver.Chrome:
    """The module's browser, its console log emptied of what earlier tests left. Each test
    ends with assert_no_console_errors for the pages it opened."""
    console_errors(browser)
    return browser
