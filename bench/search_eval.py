"""How well `claims(search:)` finds what a journalist means: success@3 and MRR.

    DATABASE_URL=postgresql://postgres@127.0.0.1/cg_search python -m bench.search_eval [--json]

The queries are tests/fixtures/search/queries.json: German and English queries over the
demo article, each with the demo claims it means (api/demo/curated.py keys), written
before any ranking was tuned (issue 16). The database is migrated and the demo loaded;
each query runs through the app's GraphQL API in-process, and its first ten claims are
compared with what it means. success@3: the share of queries with a meant claim among
the first three; MRR: the mean of 1 / the rank of the first meant claim (0 past ten).
Reported per language and for the held-out queries apart; tests/bench/test_search_eval.py
fails when either figure falls below tests/fixtures/search/recorded.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "fixtures" / "search" / "queries.json"
SEARCH = """query($q: String!) {
  claims(search: $q, first: 10) { edges { node { statement } } }
}"""


@dataclass(frozen=True)
class Outcome:
    q: str
    lang: str
    held_out: bool
    rank: int | None  # 1-based rank of the first meant claim among the first ten


@dataclass(frozen=True)
class Scores:
    queries: int
    success_at_3: float
    mrr: float

    @classmethod
    def of(cls, outcomes: Sequence[Outcome]) -> Scores:
        n = len(outcomes)
        hits = sum(1 for o in outcomes if o.rank is not None and o.rank <= 3)
        reciprocal = sum(1 / o.rank for o in outcomes if o.rank is not None)
        return cls(n, round(hits / n, 3) if n else 0.0, round(reciprocal / n, 3) if n else 0.0)


def load_queries() -> tuple[list[dict[str, Any]], set[str]]:
    data = json.loads(QUERIES.read_text())
    return list(data["queries"]), set(data["held_out"])


async def evaluate(engine: AsyncEngine) -> list[Outcome]:
    """Every query's outcome over the demo data already loaded in `engine`'s database."""
    from api.app import create_app
    from api.demo.curated import CLAIMS
    from api.settings import Settings

    by_statement = {claim.statement: claim.key for claim in CLAIMS}
    queries, held_out = load_queries()
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False),
                        rate_limit_per_minute=0)  # fmt: skip
    app = create_app(settings, engine=engine)
    outcomes = []
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://eval") as http:
            for query in queries:
                body = {"query": SEARCH, "variables": {"q": query["q"]}}
                answer = (await http.post("/graphql", json=body)).json()
                edges = answer["data"]["claims"]["edges"]
                found = [by_statement.get(edge["node"]["statement"]) for edge in edges]
                rank = next((i + 1 for i, key in enumerate(found) if key in query["expect"]), None)
                outcomes.append(Outcome(query["q"], query["lang"], query["q"] in held_out, rank))
    return outcomes


def report(outcomes: Sequence[Outcome]) -> list[str]:
    groups = {
        "all": outcomes,
        "German": [o for o in outcomes if o.lang == "de"],
        "English": [o for o in outcomes if o.lang == "en"],
        "held out": [o for o in outcomes if o.held_out],
    }
    lines = ["| queries | n | success@3 | MRR |", "|---|---:|---:|---:|"]
    for name, group in groups.items():
        scores = Scores.of(group)
        lines.append(f"| {name} | {scores.queries} | {scores.success_at_3} | {scores.mrr} |")
    missed = [o for o in outcomes if o.rank is None or o.rank > 3]
    lines += ["", f"not among the first three ({len(missed)}):"]
    lines += [f"- {o.q!r} ({o.lang}): {'rank ' + str(o.rank) if o.rank else 'not found'}"
              for o in missed]  # fmt: skip
    return lines


async def _run(database_url: str) -> list[Outcome]:
    from api import migrate
    from api.db import create_engine, create_session_factory
    from api.demo.loader import load_demo
    from api.settings import Settings

    engine = create_engine(Settings(database_url=database_url))
    try:
        await migrate.upgrade(engine)
        async with create_session_factory(engine).begin() as session:
            await load_demo(session)
        return await evaluate(engine)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None, say: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="the outcomes as JSON lines")
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        say("set DATABASE_URL to a database this may migrate and load the demo into")
        return 2
    outcomes = asyncio.run(_run(database_url))
    if args.json:
        for outcome in outcomes:
            say(json.dumps(asdict(outcome), ensure_ascii=False))
    else:
        say("\n".join(report(outcomes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
