"""One declaration per field (schema/fields.py): the resolver path's `from_row` and the
compiled path's SQL both come from the strawberry types' declarations."""

from __future__ import annotations

from datetime import UTC, datetime

from graphql import GraphQLObjectType

from api import enums
from schema import build_schema
from schema.compiled.objects import RELATIONS
from schema.fields import Column, Embedded, ForeignKey, GlobalId, declaration
from schema.provenance.types import Attribution, Quantity
from schema.sources.types import Source

SCHEMA = build_schema()._schema
STORED_TYPES = ("Source", "Document", "Claim", "Attribution", "Quantity")
# Fields that are neither stored nor compiled relations: computed in Python.
COMPUTED = {"history", "comparison", "claimReview", "prov", "comparisonCsv"}

ATTRIBUTION_ROW = {
    "id": 7,
    "stance": "DENIES",
    "confidence": 1.0,
    "hedges": ("bis zu",),
    "quote": None,
    "quote_start": None,
    "quote_end": None,
    "quantity_value": 30.0,
    "quantity_unit": "km",
    "quantity_bound": "AT_MOST",
    "reported_at": datetime(2026, 1, 2, tzinfo=UTC),
    "method": "EXTRACTED",
    "extractor_version": "x/1",
    "review_status": "SUGGESTED",
    "reviewed_at": None,
    "retraction_reason": None,
    "version": 2,
    "claim_id": 1,
    "document_id": 2,
    "source_id": 3,
}


def _object(name: str) -> GraphQLObjectType:
    found = SCHEMA.get_type(name)
    assert isinstance(found, GraphQLObjectType)
    return found


def test_a_row_becomes_its_type_by_the_declared_columns() -> None:
    # when
    attribution = Attribution.from_row(ATTRIBUTION_ROW)
    # then
    assert attribution.pk == 7
    assert attribution.stance is enums.Stance.DENIES
    assert attribution.hedges == ["bis zu"]
    assert attribution.quantity == Quantity(
        value=30.0, unit="km", bound=enums.QuantityBound.AT_MOST
    )
    assert attribution.review_status is enums.ReviewStatus.SUGGESTED
    assert (attribution.claim_pk, attribution.document_pk, attribution.source_pk) == (1, 2, 3)


def test_nulls_stay_null_and_an_embedded_object_is_null_with_its_column() -> None:
    # given
    row = {**ATTRIBUTION_ROW, "quantity_value": None, "quantity_bound": None}
    source_row = {
        "id": 3,
        "name": "KCNA",
        "kind": "NEWS_AGENCY",
        "aliases": [],
        "reliability": None,
        "state_affiliated": True,
        "version": 1,
        "affiliation_id": None,
    }
    # when
    attribution = Attribution.from_row(row)
    source = Source.from_row(source_row)
    # then
    assert attribution.quantity is None
    assert source.reliability is None
    assert source.kind is enums.SourceKind.NEWS_AGENCY


def test_the_compiled_path_finds_each_declaration_on_the_graphql_schema() -> None:
    # when
    source = _object("Source").fields
    attribution = _object("Attribution").fields
    # then
    assert declaration(source["id"]) == GlobalId()
    assert declaration(source["stateAffiliated"]) == Column("state_affiliated")
    assert declaration(_object("Quantity").fields["value"]) == Column("quantity_value")
    assert declaration(attribution["quantity"]) == Embedded("quantity_value")
    assert declaration(attribution["source"]) == ForeignKey("source_id")
    assert declaration(_object("Source").fields["affiliation"]) == ForeignKey("affiliation_id")
    assert declaration(attribution["via"]) is None


def test_every_field_of_a_stored_type_is_declared_related_or_computed() -> None:
    # given
    undeclared = []
    # when
    for type_name in STORED_TYPES:
        for name, definition in _object(type_name).fields.items():
            known = (type_name, name) in RELATIONS or name in COMPUTED
            if declaration(definition) is None and not known:
                undeclared.append(f"{type_name}.{name}")
    # then
    assert undeclared == []
