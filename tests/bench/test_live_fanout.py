"""bench/live_fanout.py on a tiny run: the subscriptions open, every write's change reaches
each subscriber watching its claim and every firehose subscriber, and the report says so.
No timing is asserted here: the figures come from `python -m bench.live_fanout`
(docs/live.md)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from bench import live_fanout
from tests.support.database import fresh_database


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    async with fresh_database("claimgraph_fanout") as url:
        yield url


def _row(report: str, name: str) -> tuple[int, int]:
    found = re.search(rf"^\| {name} \| ([\d,]+) \| ([\d,]+) \|", report, re.M)
    assert found, report
    expected, received = (int(group.replace(",", "")) for group in found.groups())
    return expected, received


def test_a_tiny_run_delivers_every_change_to_whoever_watches_it(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a database of its own, and the bench's arguments for a short run
    monkeypatch.setenv("DATABASE_URL", database_url)
    lines: list[str] = []
    argv = ["--subscribers", "60", "--per-connection", "20", "--claims", "10",
            "--writes-per-second", "10", "--seconds", "2", "--firehose", "3"]  # fmt: skip
    # when
    assert live_fanout.main(argv, say=lines.append) == 0
    # then: nothing lost (a write may also make CLAIM_CONTESTED, so received >= expected)
    report = "\n".join(lines)
    for name in ("one claim each", "every change"):
        expected, received = _row(report, name)
        assert expected > 0 and received >= expected, report
    assert "errors" not in report
