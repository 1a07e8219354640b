"""`claimgraph generate --claims N`: seeded synthetic data, for benchmarks and demos."""

from __future__ import annotations

import argparse
import sys

from api import migrate
from api.cli.common import database, with_engine
from api.settings import Settings


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    """Fill the database with seeded synthetic data, for benchmarks and demos."""
    from api.generate import GenerateOptions, generate

    if args.claims < 1 or args.batch < 1:
        print("claimgraph: --claims and --batch must be positive", file=sys.stderr)
        return 2
    options = GenerateOptions(claims=args.claims, seed=args.seed, batch=args.batch)
    with database(settings) as resolved:
        with_engine(resolved, migrate.upgrade)
        report = with_engine(
            resolved,
            lambda engine: generate(engine, options, lambda line: print(line, file=sys.stderr)),
        )
    print(report.summary())
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    generate = commands.add_parser("generate", help="add seeded synthetic data for benchmarks")
    generate.add_argument("--claims", type=int, required=True, help="how many claims to add")
    generate.add_argument("--seed", type=int, default=0, help="same seed, same data")
    generate.add_argument("--batch", type=int, default=5000, help="claims per transaction")
    generate.set_defaults(run=cmd_generate)
