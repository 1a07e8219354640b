"""The `claimgraph` command: its parser, made of one module per command group, and main."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from api.cli import (
    demo_command,
    embedded_command,
    generate_command,
    ingest_command,
    interchange_commands,
    keys_command,
    migrate_command,
    serve_command,
)
from api.cli.database_failures import database_failure
from api.live import recording  # noqa: F401  (every write of a command records CLAIM_CONTESTED)
from api.settings import Settings


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="claimgraph",
        description="Claim-provenance GraphQL API. Without DATABASE_URL, commands use an"
        " embedded PostgreSQL in CLAIMGRAPH_DATA_DIR.",
    )
    commands = root.add_subparsers(dest="command", required=True)
    # In the order `claimgraph --help` has always listed them.
    for group in (
        serve_command,
        migrate_command,
        demo_command,
        generate_command,
        ingest_command,
        keys_command,
        interchange_commands,
        embedded_command,
    ):
        group.add_parser(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. A failure the user can fix (a setting, an unreachable database)
    ends it with one line on standard error and exit status 1; anything else is a bug
    and keeps its traceback."""
    args = parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        return _fail(_bad_setting(exc))
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        result: int = args.run(args, settings)
    except RuntimeError as exc:
        return _fail(str(exc))
    except Exception as exc:
        reason = database_failure(exc, settings.database_url)
        if reason is None:
            raise
        return _fail(reason)
    return result


def _fail(reason: str) -> int:
    print(f"claimgraph: {reason}", file=sys.stderr)
    return 1


def _bad_setting(exc: ValidationError) -> str:
    """The first bad setting by its variable's name, without its value (it may be secret)."""
    error = exc.errors()[0]
    name = ".".join(map(str, error["loc"])).upper()
    return f"{name}: {error['msg']}"
