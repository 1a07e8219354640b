"""`claimgraph load-demo`: the curated seed article (also `serve --demo`)."""

from __future__ import annotations

import argparse

from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.cli.common import database, with_engine
from api.db import create_session_factory
from api.settings import Settings


async def load_demo(engine: AsyncEngine) -> str:
    from api.demo.loader import load_demo as load

    async with create_session_factory(engine).begin() as session:
        report = await load(session)
    return (
        f"demo loaded: {report.sources} sources, {report.documents} documents,"
        f" {report.claims} claims, {report.attributions} attributions created"
        " (existing ones reused)"
    )


def cmd_load_demo(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings) as resolved:
        with_engine(resolved, migrate.upgrade)
        print(with_engine(resolved, load_demo))
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser("load-demo", help="load the curated seed article (idempotent)")
    demo.set_defaults(run=cmd_load_demo)
