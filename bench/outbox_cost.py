"""What the outbox of changes (migration 0014) costs one write, measured on a scratch database.

    .venv/bin/python -m bench.outbox_cost [writes]

Times `writes` one-statement transactions (UPDATE of one claim's statement) with the
change triggers on and off, one writer at a time, then two writers at once (the
advisory lock serialises their commits), and adds attributions through the service
with and without the before-commit CLAIM_CONTESTED hook.
"""

from __future__ import annotations

import asyncio
import sys
import time

import asyncpg
from sqlalchemy import event

from api import migrate
from api.db import WriteSession, create_engine, create_session_factory
from api.live import recording
from api.settings import Settings
from tests.support.database import fresh_database
from tests.support.stored import claim, document, report, source

TRIGGERS = "trg_claim_change_updated"


async def _updates(url: str, writes: int, writers: int) -> float:
    """Milliseconds per write, `writers` connections writing at once."""
    connections = [await asyncpg.connect(url) for _ in range(writers)]
    start = time.perf_counter()

    async def write(connection: asyncpg.Connection, claim_id: int) -> None:
        for n in range(writes // writers):
            await connection.execute(
                "UPDATE claim SET statement = $2 WHERE id = $1", claim_id, f"Satz {n}"
            )

    await asyncio.gather(*(write(c, i + 1) for i, c in enumerate(connections)))
    elapsed = time.perf_counter() - start
    for connection in connections:
        await connection.close()
    return elapsed * 1000 / writes


async def main(writes: int) -> None:
    async with fresh_database("claimgraph_bench_outbox") as url:
        engine = create_engine(Settings(database_url=url))
        await migrate.upgrade(engine)
        factory = create_session_factory(engine)
        async with factory.begin() as session:
            kcna = await source(session, "KCNA")
            doc = await document(session)
            claims = [await claim(session, f"Satz {i}") for i in range(2)]
        plain = url.replace("+asyncpg", "")
        admin = await asyncpg.connect(plain)
        for writers in (1, 2):
            on = await _updates(plain, writes, writers)
            await admin.execute(f"ALTER TABLE claim DISABLE TRIGGER {TRIGGERS}")
            off = await _updates(plain, writes, writers)
            await admin.execute(f"ALTER TABLE claim ENABLE TRIGGER {TRIGGERS}")
            print(f"{writers} writer(s): {on:.3f} ms per write with changes, {off:.3f} without")
        await admin.close()
        for hooked in (True, False):
            if not hooked:
                event.remove(WriteSession, "before_commit", recording._before_commit)
            start = time.perf_counter()
            for _ in range(writes // 10):
                async with factory.begin() as session:
                    await report(session, claims[0], kcna, document_id=doc)
            per = (time.perf_counter() - start) * 1000 / (writes // 10)
            print(f"addAttribution through the service: {per:.2f} ms, hook {hooked}")
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
