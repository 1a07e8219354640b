"""`claimgraph ingest FILE`: store an article and print what was found, as a table."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.cli.common import database
from api.db import create_engine, create_session_factory
from api.errors import DomainError
from api.ingest.service import IngestRequest, ingest_document
from api.ingest.snapshot import Snapshot, snapshot
from api.search import SearchProbe
from api.settings import Settings

COLUMNS = ("#", "source", "via", "stance", "conf", "hedges", "quantity", "quote")
WIDTHS = (3, 24, 24, 7, 5, 20, 26, 54)


def _cell(value: str, width: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


def _row(values: tuple[str, ...]) -> str:
    return "  ".join(_cell(v, w).ljust(w) for v, w in zip(values, WIDTHS, strict=True))


def _quantity(row: RowMapping) -> str:
    if row["quantity_value"] is None:
        return ""
    unit = f" {row['quantity_unit']}" if row["quantity_unit"] else ""
    return f"{row['quantity_bound']} {row['quantity_value']:,.15g}{unit}"


def render(found: Snapshot, attribution_ids: list[int]) -> str:
    """The attributions as a plain-text table, in the order of their place in the text."""
    lines = [_row(COLUMNS), _row(tuple("-" * w for w in WIDTHS))]
    for number, pk in enumerate(attribution_ids, start=1):
        row = found.attributions[pk]
        chain = found.chains[pk]
        via = [found.sources[e.source_id]["name"] for e in chain if e.role == "VIA"]
        lines.append(
            _row(
                (
                    str(number),
                    found.sources[row["source_id"]]["name"],
                    ", ".join(via),
                    row["stance"],
                    f"{row['confidence']:.2f}",
                    ", ".join(row["hedges"]),
                    _quantity(row),
                    row["quote"] or "",
                )
            )
        )
    return "\n".join(lines)


async def _ingest(engine: AsyncEngine, request: IngestRequest, dry_run: bool) -> str:
    support = await SearchProbe(engine).support()
    async with create_session_factory(engine)() as session:
        transaction = await session.begin()
        result = await ingest_document(session, request, support)
        found = await snapshot(session, result)
        await (transaction.rollback() if dry_run else transaction.commit())
    document = found.documents[result.document_id]
    if result.repeated:
        state = "already stored: nothing written"
    else:
        state = "dry run: nothing written" if dry_run else "stored as suggestions for review"
    heading = (
        f"{document['title']} ({document['language']}), {len(result.attribution_ids)}"
        f" attributions, {len(result.created_sources)} new sources: {state}"
    )
    return heading + "\n\n" + render(found, result.attribution_ids)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"claimgraph: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    request = IngestRequest(
        text=text,
        language=args.language,
        title=args.title,
        url=args.url,
        published_at=args.published_at,
        cross_language=settings.cross_language_matching,
    )

    async def run(url: str) -> str:
        engine = create_engine(Settings(database_url=url), pool_size=2, max_overflow=0)
        try:
            await migrate.upgrade(engine)
            return await _ingest(engine, request, args.dry_run)
        finally:
            await engine.dispose()

    with database(settings) as resolved:
        assert resolved.database_url is not None
        try:
            print(asyncio.run(run(resolved.database_url)))
        except DomainError as exc:
            for problem in exc.problems:
                print(f"claimgraph: {problem.code.value}: {problem.message}", file=sys.stderr)
            return 1
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ingest = commands.add_parser(
        "ingest", help="store an article with the attributed claims found in it"
    )
    ingest.add_argument("file", help="a UTF-8 text file: the article")
    ingest.add_argument("--url")
    ingest.add_argument("--language", help="BCP 47 tag; detected when absent")
    ingest.add_argument("--title", help="the first line of the text when absent")
    ingest.add_argument(
        "--published-at",
        type=datetime.fromisoformat,
        help="ISO 8601 with a time zone, e.g. 2023-09-14T06:00:00+00:00",
    )
    ingest.add_argument("--dry-run", action="store_true", help="show, write nothing")
    ingest.set_defaults(run=cmd_ingest)
