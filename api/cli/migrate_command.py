"""`claimgraph migrate [--revision REV]`: apply database migrations."""

from __future__ import annotations

import argparse

from api import migrate
from api.cli.common import database, with_engine
from api.settings import Settings


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings) as resolved:
        with_engine(resolved, lambda engine: migrate.upgrade(engine, args.revision))
    print(f"database migrated to {args.revision}")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    migrate_cmd = commands.add_parser("migrate", help="apply database migrations")
    migrate_cmd.add_argument("--revision", default="head")
    migrate_cmd.set_defaults(run=cmd_migrate)
