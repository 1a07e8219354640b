"""`generate`: sources first, then batches built in a thread and loaded on two connections.

A thread builds batches in order (ids continue from one to the next) while two
connections load them: the refresh triggers, not Python, are the bottleneck, and two
connections give PostgreSQL both cores. Batches touch disjoint claims and carry their
own ids, so the order in which they load changes neither the rows nor the outcome.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from api.generate.batches import BatchBuilder
from api.generate.drafts import Batch
from api.generate.load import SOURCE_COLUMNS, analyze, copy, driver_of, finish, load_batch, max_ids
from api.generate.options import GenerateOptions, GenerateReport
from api.generate.sources import build_world


async def generate(
    engine: AsyncEngine, options: GenerateOptions, progress: Callable[[str], None] | None = None
) -> GenerateReport:
    """Append seeded synthetic sources, documents, claims and attributions to the database."""
    started = time.monotonic()
    async with engine.connect() as connection:
        driver = await driver_of(connection)
        bases = await max_ids(driver)
        world = build_world(options.seed, options.sources, bases["source"] + 1)
        await copy(driver, [("source", SOURCE_COLUMNS, world.records)])
    report = GenerateReport(sources=len(world.records))
    tracker = Tracker(report, options.claims, started, progress, options.batch)
    queue: asyncio.Queue[Batch | None] = asyncio.Queue(maxsize=options.connections)
    async with asyncio.TaskGroup() as group:
        group.create_task(produce(BatchBuilder(options, world, bases), queue, options.connections))
        for _ in range(options.connections):
            group.create_task(consume(engine, queue, tracker))
    async with engine.connect() as connection:
        await finish(await driver_of(connection))
    report.seconds = time.monotonic() - started
    return report


async def produce(builder: BatchBuilder, queue: asyncio.Queue[Batch | None], stops: int) -> None:
    """Build batches in order (ids continue from one to the next) in a thread, off the loop."""
    for number in range(builder.options.batches):
        await queue.put(await asyncio.to_thread(builder.build, number))
    for _ in range(stops):
        await queue.put(None)


async def consume(
    engine: AsyncEngine, queue: asyncio.Queue[Batch | None], tracker: Tracker
) -> None:
    """Load batches on one connection; two of them keep both cores of PostgreSQL busy.

    Batches touch disjoint claims, so concurrent loads neither conflict nor change the rows.
    """
    async with engine.connect() as connection:
        driver = await driver_of(connection)
        while (batch := await queue.get()) is not None:
            await load_batch(driver, batch)
            if tracker.loaded(batch):
                await analyze(driver)


@dataclass
class Tracker:
    """Counts what has loaded, reports progress, and says when statistics are due."""

    report: GenerateReport
    total: int
    started: float
    progress: Callable[[str], None] | None
    next_analyze: int

    def loaded(self, batch: Batch) -> bool:
        """True after the first batch and whenever this run has doubled the data since."""
        self.report.add(batch)
        if self.progress is not None:
            self.progress(progress_line(self.report, self.total, self.started))
        if self.report.claims < self.next_analyze:
            return False
        self.next_analyze = 2 * self.report.claims
        return True


def progress_line(report: GenerateReport, total: int, started: float) -> str:
    elapsed = max(time.monotonic() - started, 1e-9)
    return (
        f"generate: {report.claims}/{total} claims, {report.attributions} attributions"
        f" ({report.claims / elapsed:,.0f} claims/s, {report.attributions / elapsed:,.0f}"
        f" attributions/s)"
    )
