"""`claimgraph db start|stop|status`: the embedded PostgreSQL (without DATABASE_URL)."""

from __future__ import annotations

import argparse

from api.cli.common import embedded_postgres
from api.settings import Settings


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    """Start, stop or locate the embedded PostgreSQL (not used when DATABASE_URL is set)."""
    embedded = embedded_postgres(settings)
    if args.action == "start":
        print(embedded.start())
    elif args.action == "stop":
        embedded.stop()
        print(f"stopped embedded PostgreSQL in {embedded.data_dir}")
    elif args.action == "status":
        running = embedded.is_running()
        state = f"running at {embedded.url()}" if running else "not running"
        print(f"embedded PostgreSQL in {embedded.data_dir}: {state}")
        return 0 if running else 3
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="manage the embedded PostgreSQL")
    db.add_argument("action", choices=["start", "stop", "status"])
    db.set_defaults(run=cmd_db)
