"""A few seconds of bench/load_mix.py: the mixed load of reads and writes meets no error.

Timing is the benchmark's business (docs/load.md); this only checks that every kind of
request in the mix keeps succeeding against a real server process.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bench.load_mix import WEIGHTS, prepare_database, run_load, running_server


async def test_a_short_mixed_load_has_no_errors(db: AsyncEngine, database_url: str) -> None:
    # given a server on the test database and an editor key
    key = await prepare_database(database_url)
    with running_server(database_url) as server:
        # when four clients send the mix for three seconds
        report = await run_load(server, key, seconds=3, concurrency=4)

    # then nothing failed, every kind was sent, and the server's memory was sampled
    assert report.stats.errors == {}, report.lines()
    assert set(report.stats.latencies) == set(WEIGHTS)
    assert report.rss
