"""`claimgraph keys create|list|revoke`: manage API keys from the server's shell.

`create` prints the new key alone on its last line, so scripts can capture it with
`tail -n 1`; it is shown this once and only its hash is stored.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api import migrate
from api.auth.roles import Role
from api.auth.service import create_key, list_keys, revoke_key
from api.cli.common import database, with_engine
from api.db import create_session_factory
from api.errors import DomainError
from api.settings import Settings

T = TypeVar("T")
COLUMNS = ("name", "role", "prefix", "created", "last used", "revoked")
WIDTHS = (24, 7, 12, 17, 17, 17)


def _in_transaction(
    work: Callable[[AsyncSession], Awaitable[T]],
) -> Callable[[AsyncEngine], Awaitable[T]]:
    async def run(engine: AsyncEngine) -> T:
        async with create_session_factory(engine).begin() as session:
            return await work(session)

    return run


def _run(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    with database(settings) as resolved:
        with_engine(resolved, migrate.upgrade)
        return with_engine(resolved, _in_transaction(work))


def _when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M")


def cmd_create(args: argparse.Namespace, settings: Settings) -> int:
    role = Role(args.role)
    try:
        created = _run(settings, lambda s: create_key(s, name=args.name, role=role))
    except DomainError as exc:
        print(f"claimgraph: {exc}", file=sys.stderr)
        return 1
    print(f"created {created.role.value} key {created.name!r} ({created.prefix}…).")
    print("Copy it now: it is shown only this once and cannot be recovered.")
    print(created.key)
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    keys = _run(settings, list_keys)
    lines = [
        COLUMNS,
        *[
            (
                k.name,
                k.role.value,
                k.prefix,
                _when(k.created_at),
                _when(k.last_used_at),
                _when(k.revoked_at),
            )
            for k in keys
        ],
    ]
    for line in lines:
        print("  ".join(v.ljust(w) for v, w in zip(line, WIDTHS, strict=True)).rstrip())
    return 0


def cmd_revoke(args: argparse.Namespace, settings: Settings) -> int:
    try:
        name = _run(settings, lambda s: revoke_key(s, name_or_prefix=args.key))
    except DomainError as exc:
        print(f"claimgraph: {exc}", file=sys.stderr)
        return 1
    # The api_key trigger's NOTIFY went out at commit (api/auth/listener.py).
    print(f"revoked key {name!r}; running servers refuse it within a second")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="create, list and revoke API keys")
    actions = keys.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a key; printed once, on the last line")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", required=True, help="a unique name, e.g. who holds it")
    create.set_defaults(run=cmd_create)
    listing = actions.add_parser("list", help="every key: name, role, prefix, dates")
    listing.set_defaults(run=cmd_list)
    revoke = actions.add_parser("revoke", help="revoke a key by its name or prefix")
    revoke.add_argument("key", metavar="NAME_OR_PREFIX")
    revoke.set_defaults(run=cmd_revoke)
