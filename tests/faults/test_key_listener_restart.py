"""After PostgreSQL restarts, a server listens for key changes again on its own.

The restart drops the listener's connection: the server stops trusting its key cache,
reconnects, and a key revoked afterwards is refused within a second, as before.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import asyncpg
import httpx

from bench.load_mix import pg_ctl, prepare_database, running_server, throwaway_cluster
from tests.support.clusters import needs_cluster

pytestmark = needs_cluster

READ = {"query": "{ claims(first: 1) { totalCount } }"}
LISTENING = """SELECT count(*) FROM pg_stat_activity
  WHERE application_name = 'claimgraph-keys' AND datname = current_database()
  AND (query LIKE 'LISTEN%' OR query = 'SELECT 1')"""


async def _listening(url: str) -> int:
    connection = await asyncpg.connect(url)
    try:
        return int(await connection.fetchval(LISTENING))
    finally:
        await connection.close()


async def _within(seconds: float, condition_met: Callable[[], Awaitable[bool]]) -> float:
    """Seconds until `condition_met()` is true; fails after `seconds`."""
    started = time.monotonic()
    while not await condition_met():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_after_a_restart_the_server_listens_again_and_hears_a_revocation() -> None:
    with throwaway_cluster() as cluster:
        url = cluster.url()
        key = await prepare_database(url)
        with running_server(url, {"CLAIMGRAPH_KEY_CACHE_SECONDS": "60"}) as server:
            headers = {"Authorization": f"Bearer {key}"}
            async with httpx.AsyncClient(base_url=server.base_url, headers=headers) as http:

                async def accepted() -> bool:
                    response = await http.post("/graphql", json=READ)
                    return response.status_code == 200 and "errors" not in response.json()

                async def refused() -> bool:
                    body = (await http.post("/graphql", json=READ)).json()
                    codes = [e["extensions"]["code"] for e in body.get("errors", [])]
                    return codes == ["UNAUTHENTICATED"]

                async def listening() -> bool:
                    return await _listening(url) == 1

                # given: a server that has accepted (and cached) the key
                assert await accepted()
                assert await _listening(url) == 1
                # when: PostgreSQL restarts
                await asyncio.to_thread(pg_ctl, cluster, "restart", "-m", "fast")
                # then: the server listens again within seconds, and still takes the key
                await _within(10, listening)
                await _within(10, accepted)
                # and a revocation after the restart reaches it within a second
                connection = await asyncpg.connect(url)
                try:
                    await connection.execute("UPDATE api_key SET revoked_at = now()")
                finally:
                    await connection.close()
                assert await _within(5, refused) < 1.0
            log = server.log()
    # and the server said in one line that it had lost the listener: no traceback
    assert log.count("the key-change listener is not listening") == 1, log
    assert "the key-change listener failed" not in log, log
