"""The search evaluation (bench/search_eval.py): its query set is well-formed, and
ranking does not fall below the success@3 and MRR recorded in
tests/fixtures/search/recorded.json (issue 16)."""

from __future__ import annotations

import json

from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.demo.curated import CLAIMS
from api.demo.loader import load_demo
from bench.search_eval import QUERIES, Scores, evaluate, load_queries

RECORDED = json.loads((QUERIES.parent / "recorded.json").read_text())


def test_the_query_set_names_demo_claims_in_both_languages() -> None:
    # given
    queries, held_out = load_queries()
    keys = {claim.key for claim in CLAIMS}
    # then: at least 40 queries, German and English, each meaning demo claims
    assert len(queries) >= 40
    assert {q["lang"] for q in queries} == {"de", "en"}
    assert all(q["expect"] and set(q["expect"]) <= keys for q in queries)
    assert len({q["q"] for q in queries}) == len(queries)
    assert held_out <= {q["q"] for q in queries}


async def test_ranking_keeps_its_recorded_success_at_3_and_mrr(db: AsyncEngine) -> None:
    # given: the demo article
    async with create_session_factory(db).begin() as session:
        await load_demo(session)
    # when
    scores = Scores.of(await evaluate(db))
    # then
    assert scores.success_at_3 >= RECORDED["success_at_3"], scores
    assert scores.mrr >= RECORDED["mrr"], scores
