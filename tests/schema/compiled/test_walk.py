"""The compiled walk's bound (schema/compiled/walk.py): a statement renders at most
MAX_SELECTIONS response keys; a larger one is left to the resolver path.

Fragments that fan out within the depth limit can ask for a response tree that grows
with every level; its statement would grow with it, compiled on the event loop.
"""

from __future__ import annotations

import pytest
from graphql import parse

from schema import build_schema
from schema.compiled import walk
from schema.compiled.plans import Plans

SCHEMA = build_schema()._schema
# claims, edges, node, id: four response keys.
FOUR = "{ claims { edges { node { id } } } }"
FIVE = "{ claims { totalCount edges { node { id } } } }"


def test_a_statement_over_the_selection_budget_is_left_to_the_resolvers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    monkeypatch.setattr(walk, "MAX_SELECTIONS", 4)
    # when
    within = Plans().compile(SCHEMA, None, parse(FOUR), None, None)
    over = Plans().compile(SCHEMA, None, parse(FIVE), None, None)
    # then
    assert within is not None
    assert over is None
