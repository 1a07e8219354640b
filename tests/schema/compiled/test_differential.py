"""The compiled path answers exactly as the resolvers do: many generated queries, both paths.

Two apps serve the same random dataset, one with CLAIMGRAPH_COMPILED_READS on and one
with it off; every generated query must get the same response text from both, errors
included. A query whose arguments are all valid must actually compile, so the test
cannot pass by falling back everywhere.
"""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from schema import schema
from schema.compiled.plans import Plans
from tests.schema.compiled.dataset import Dataset, seed
from tests.schema.compiled.queries import document_of, queries
from tests.support.app import TEST_SETTINGS, serving

COMPILED = TEST_SETTINGS.model_copy(update={"compiled_reads": True})
RESOLVED = TEST_SETTINGS.model_copy(update={"compiled_reads": False})


@dataclass
class Both:
    data: Dataset
    compiled: httpx.AsyncClient
    resolved: httpx.AsyncClient


@pytest.fixture(params=[1, 2, 3])
async def both(db: AsyncEngine, request: pytest.FixtureRequest) -> AsyncIterator[Both]:
    data = await seed(db, random.Random(request.param))
    async with serving(db, COMPILED) as compiled, serving(db, RESOLVED) as resolved:
        yield Both(data, compiled, resolved)


def exact(text: str) -> Any:
    """A JSON text as what a client reads from it, strictly: keys in their order, and a
    float (1.0) told from an int (1). The fast path sends PostgreSQL's text, spaced
    unlike orjson's; the full path's parsed answer is the one to match."""
    return json.loads(text, object_pairs_hook=list, parse_float=lambda f: ("float", float(f)))


def _sorted(errors: list[dict[str, Any]] | None) -> list[str]:
    return sorted(json.dumps(e, sort_keys=True) for e in errors or [])


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_compiled_and_resolved_answers_are_identical(
    both: Both, data: st.DataObject, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    drawn = data.draw(queries(both.data))
    document = document_of(drawn)
    body = {"query": document, "variables": drawn.variables}

    # when
    compiled = await both.compiled.post("/graphql", json=body)
    resolved = await both.resolved.post("/graphql", json=body)

    # then
    assert compiled.status_code == resolved.status_code, document
    expected, answer = resolved.json(), compiled.json()
    assert answer.get("data") == expected.get("data"), document
    # Sibling resolvers fail concurrently: the resolver path itself lists their errors in
    # no fixed order, so errors compare as a set; and when an error nulls the whole data,
    # execution stops with whichever errors came first, so then only their presence does.
    if expected.get("data") is None:
        assert bool(answer.get("errors")) == bool(expected.get("errors")), document
    else:
        assert _sorted(answer.get("errors")) == _sorted(expected.get("errors")), document
    if "errors" not in expected:
        assert exact(compiled.text) == exact(resolved.text), document
    # A compiled statement that fails falls back silently to the same answer: catch it here.
    failed = [r for r in caplog.records if r.name == "schema.compiled.extension"]
    assert not failed, f"a compiled statement failed:\n{document}"
    if drawn.valid and "errors" not in resolved.json():
        plan = Plans().compile(schema._schema, document, parse(document), drawn.variables, None)
        assert plan is not None, f"a valid query fell back:\n{document}"
