"""A few seconds of bench/load_mix.py: the mixed load of reads and writes meets no error.

Timing is the benchmark's business (docs/load.md); this only checks that every kind of
request in the mix keeps succeeding against a real server process.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bench.load_mix import WEIGHTS, prepare_database, run_load, running_server

MIB = 2**20
# docs/load.md: the server starts near 103 MiB and its warm-up (parsed documents, pooled
# connections) adds about 9 MiB in the first 10 s, then RSS moves by less than 1 MiB.
# A few seconds may hold the whole warm-up: twice it is the most RSS may move here.
PLAUSIBLE_MIB = (30, 1024)
WARM_UP_MIB = 18


async def test_a_short_mixed_load_has_no_errors(db: AsyncEngine, database_url: str) -> None:
    # given a server on the test database and an editor key
    key = await prepare_database(database_url)
    with running_server(database_url) as server:
        # when four clients send the mix for three seconds
        report = await run_load(server, key, seconds=3, concurrency=4)

    # then nothing failed, every kind was sent,
    assert report.stats.errors == {}, report.lines()
    assert set(report.stats.latencies) == set(WEIGHTS)
    # and the server's memory was sampled each second, a server's size, and flat
    mib, words = [sample / MIB for sample in report.rss], "\n".join(report.lines())
    assert len(mib) >= 2, words
    assert all(PLAUSIBLE_MIB[0] < m < PLAUSIBLE_MIB[1] for m in mib), words
    assert max(mib) - mib[0] < WARM_UP_MIB, words
