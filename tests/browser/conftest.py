"""The browser tests' fixtures: `claimgraph serve --demo` on a database of its own, and a
headless Chromium that reaches nothing but that server (tests/support/browser.py).

Both are built once per module; tests/support/groups.py keeps the modules of this folder
on one worker, so one browser runs at a time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from selenium import webdriver

from tests.support.browser import console_errors, new_browser
from tests.support.database import fresh_database
from tests.support.servers import free_port, stop, wait_ready

REPO = Path(__file__).resolve().parents[2]
CLAIMGRAPH = Path(sys.executable).with_name("claimgraph")
FIND_CLAIM = """query($q: String!) { claims(search: $q, first: 1) { edges { node { id } } } }"""


@dataclass(frozen=True)
class Served:
    base_url: str
    log: Path

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
    """README's service command with DATABASE_URL: it migrates, loads the demo, serves."""
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="cg-browser-")) / "server.log"
    env = {**os.environ, "DATABASE_URL": browser_database, "CLAIMGRAPH_RATE_LIMIT_PER_MINUTE": "0"}
    argv = [CLAIMGRAPH, "serve", "--demo", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base_url, process, log=log, path="/healthz", seconds=120)
        yield Served(base_url, log)
    finally:
        stop(process)


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
