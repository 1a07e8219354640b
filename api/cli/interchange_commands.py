"""`claimgraph export` and `claimgraph import`: dumps as JSON Lines, and ClaimReview feeds.

    claimgraph export [--since ISO] [--output FILE]        (default: standard output)
    claimgraph import FILE [--strict] [--batch 5000] [--bulk] [--restore | --no-restore]
                                                           a JSON Lines dump
    claimgraph import FILE --format claimreview [--strict] a ClaimReview feed (JSON)

Into an empty database a JSON Lines import takes the restore path (restore.py);
`--restore` insists on it (and refuses a database that holds records), `--no-restore`
merges as into a database that holds records.

Exit status: 0 when every record went in (or was already there), 1 when a strict
import aborted (nothing written), when records were skipped (they are listed on
standard error with their line numbers) or when `--restore` met records, 2 when the
file cannot be read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.cli.common import database
from api.db import create_engine, create_session_factory
from api.settings import Settings
from api.validation import BadTime, utc_time

SHOWN_ERRORS = 50


def _since(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.utcoffset() is None:
        raise argparse.ArgumentTypeError("--since needs a time zone, e.g. 2026-11-01T00:00Z")
    try:
        return utc_time(moment)
    except BadTime as exc:
        raise argparse.ArgumentTypeError(f"--since {exc}") from None


def _run(settings: Settings, work: Any) -> Any:
    async def run(url: str) -> Any:
        engine = create_engine(Settings(database_url=url), pool_size=1, max_overflow=0)
        try:
            await migrate.upgrade(engine)
            return await work(engine)
        finally:
            await engine.dispose()

    with database(settings) as resolved:
        assert resolved.database_url is not None
        return asyncio.run(run(resolved.database_url))


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A byte-counting progress bar on standard error, only when that is a terminal."""
    from tqdm import tqdm  # type: ignore[import-untyped]

    with tqdm(
        total=total, unit="B", unit_scale=True, disable=not sys.stderr.isatty(), file=sys.stderr
    ) as bar:
        yield bar


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from api.generate.load import driver_of
    from api.interchange.jsonl_export import export_jsonl

    async def work(engine: AsyncEngine, out: IO[bytes]) -> Any:
        async with engine.connect() as connection:
            return await export_jsonl(await driver_of(connection), out.write, since=args.since)

    if args.output:
        with open(args.output, "wb") as out:
            counts = _run(settings, lambda engine: work(engine, out))
    else:
        counts = _run(settings, lambda engine: work(engine, sys.stdout.buffer))
        sys.stdout.buffer.flush()
    summary = ", ".join(f"{counts[k]} {k.lower()}s" for k in counts)
    print(f"exported {summary or 'nothing'}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"claimgraph: cannot read {args.file}", file=sys.stderr)
        return 2
    if args.format == "claimreview":
        return _import_claim_reviews(path, args, settings)
    return _import_jsonl(path, args, settings)


def _import_jsonl(path: Path, args: argparse.Namespace, settings: Settings) -> int:
    from api.generate.load import driver_of
    from api.interchange.jsonl_import import ImportAborted, import_jsonl
    from api.interchange.restore import RestoreRefused

    async def work(engine: AsyncEngine, lines: IO[bytes], bar: Any) -> Any:
        async with engine.connect() as connection:
            report = await import_jsonl(
                await driver_of(connection), lines, strict=args.strict, bulk=args.bulk,
                restore=args.restore, batch_size=args.batch, progress=bar.update,
            )  # fmt: skip
            await connection.commit()
            return report

    try:
        with path.open("rb") as lines, _progress(path.stat().st_size) as bar:
            report = _run(settings, lambda engine: work(engine, lines, bar))
    except ImportAborted as aborted:
        print(f"claimgraph: {aborted}; nothing was imported (--strict)", file=sys.stderr)
        return 1
    except RestoreRefused as refused:
        print(f"claimgraph: {refused}; nothing was imported", file=sys.stderr)
        return 1
    for error in report.errors[:SHOWN_ERRORS]:
        print(f"claimgraph: skipped {error}", file=sys.stderr)
    if report.error_count > SHOWN_ERRORS:
        print(f"claimgraph: … and {report.error_count - SHOWN_ERRORS} more", file=sys.stderr)
    print(report.summary())
    return 1 if report.error_count else 0


def _import_claim_reviews(path: Path, args: argparse.Namespace, settings: Settings) -> int:
    from api.interchange.claimreview_import import ClaimReviewAborted, import_claim_reviews

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"claimgraph: cannot read {path}: {exc}", file=sys.stderr)
        return 2

    async def work(engine: AsyncEngine) -> Any:
        async with create_session_factory(engine).begin() as session:
            return await import_claim_reviews(session, data, strict=args.strict)

    try:
        report = _run(settings, work)
    except ClaimReviewAborted as aborted:
        print(f"claimgraph: {aborted}; nothing was imported (--strict)", file=sys.stderr)
        return 1
    for where, message in report.errors:
        print(f"claimgraph: skipped {where}: {message}", file=sys.stderr)
    print(report.summary())
    return 1 if report.errors else 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser("export", help="write every record as JSON Lines")
    export.add_argument("--since", type=_since, help="only records created or changed since")
    export.add_argument("--output", "-o", help="a file instead of standard output")
    export.set_defaults(run=cmd_export)
    load = commands.add_parser("import", help="read a JSON Lines dump or a ClaimReview feed")
    load.add_argument("file")
    load.add_argument("--format", choices=["jsonl", "claimreview"], default="jsonl")
    load.add_argument("--strict", action="store_true", help="abort at the first bad record")
    load.add_argument("--batch", type=int, default=5000, help="records per batch (jsonl)")
    load.add_argument(
        "--bulk", action="store_true",
        help="one transaction, new rows without per-row triggers; writers wait (jsonl)",
    )  # fmt: skip
    restore = load.add_mutually_exclusive_group()
    restore.add_argument(
        "--restore", action="store_true", default=None,
        help="load as pg_restore does, into an empty database only; the default when it is"
        " empty (jsonl)",
    )  # fmt: skip
    restore.add_argument(
        "--no-restore", dest="restore", action="store_false",
        help="merge record by record even into an empty database (jsonl)",
    )  # fmt: skip
    load.set_defaults(run=cmd_import, restore=None)
