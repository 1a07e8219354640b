"""How many inputs the fuzz tests tried, in the terminal summary (a pytest plugin).

Under pytest-xdist each worker counts its own tries: the worker hands them to the
controller at the end of its session, and the controller, which prints the summary, adds
them up. Registered from tests/conftest.py: the controller loads no conftest below it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest

from tests.fuzz.harness import EXAMPLES, TRIED

_KEY = "claimgraph_fuzz_tried"


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput: dict[str, Any] | None = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_KEY] = dict(TRIED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    TRIED.update(Counter(getattr(node, "workeroutput", {}).get(_KEY, {})))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many inputs were tried; CLAIMGRAPH_FUZZ_REPORT also gets them as JSON."""
    if not TRIED:
        return
    terminalreporter.section("claimgraph fuzz")
    for name, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"{name}: {count}")
    requests = sum(c for n, c in TRIED.items() if n.endswith(".requests"))
    terminalreporter.write_line(
        f"total: {requests} requests ({EXAMPLES} examples per property test; "
        "set CLAIMGRAPH_FUZZ_EXAMPLES for more)"
    )
    if path := os.environ.get("CLAIMGRAPH_FUZZ_REPORT"):
        with open(path, "w") as report:
            json.dump({"examples_per_test": EXAMPLES, "requests": requests, **TRIED}, report)
