"""The node types as SQL: each GraphQL field of Source, Document, Claim, Attribution and
Quantity as an expression over a row alias, and objects as `json_build_object`.

A stored field is compiled from its one declaration on the strawberry type
(schema/fields.py): its column, printed as its GraphQL type serialises. Relations are
below. Fields that do not map to data (history, comparison) are in neither: a query
asking for them is not compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    get_named_type,
    get_nullable_type,
)
from graphql.execution.collect_fields import FieldDetailsList

from api.claims import merged
from schema.compiled import sqltext
from schema.compiled.walk import NotCompilable, Walk
from schema.fields import Column, Embedded, ForeignKey, GlobalId, declaration

# The scalars the resolver path prints otherwise than PostgreSQL's JSON does.
PRINTED: dict[str, Callable[[str], str]] = {
    "DateTime": sqltext.iso_datetime,
    "Float": sqltext.json_float,
}

TABLES = {
    "Source": "source",
    "Document": "document",
    "Claim": "claim",
    "Attribution": "attribution",
}


def object_json(walk: Walk, type_: GraphQLObjectType, details: FieldDetailsList, row: str) -> str:
    """The object's selection over the row alias `row`, as one json_build_object."""
    pairs: list[str] = []
    for key, field_details in walk.subfields(type_, details).items():
        pairs.append(sqltext.quoted(key))
        pairs.append(field_json(walk, type_, field_details, row))
    return f"json_build_object({', '.join(pairs)})"


def field_json(walk: Walk, type_: GraphQLObjectType, details: FieldDetailsList, row: str) -> str:
    name = details[0].node.name.value
    if name == "__typename":
        return sqltext.quoted(type_.name)
    definition = type_.fields.get(name)
    if definition is None:
        raise NotCompilable(f"{type_.name}.{name}")
    stored = declaration(definition)
    if isinstance(stored, Column):
        return _scalar(definition, f"{row}.{stored.name}")
    if isinstance(stored, GlobalId):
        return sqltext.global_id(type_.name, f"{row}.id")
    if isinstance(stored, Embedded):
        return _embedded(walk, definition, details, row, stored.present)
    if isinstance(stored, ForeignKey):
        target = get_named_type(definition.type)
        return fetch_one(walk, target.name, details, f"{row}.{stored.column}")
    relation = RELATIONS.get((type_.name, name))
    if relation is None:
        raise NotCompilable(f"{type_.name}.{name}")
    return relation(walk, type_, details, row)


def _scalar(definition: GraphQLField, value: str) -> str:
    """A stored column as the field's GraphQL type serialises it."""
    if isinstance(get_nullable_type(definition.type), GraphQLList):
        return f"to_json({value})"
    printed = PRINTED.get(get_named_type(definition.type).name)
    return value if printed is None else printed(value)


def _embedded(
    walk: Walk, definition: GraphQLField, details: FieldDetailsList, row: str, present: str
) -> str:
    """An object read from the same row (Attribution.quantity), null when `present` is."""
    target = get_named_type(definition.type)
    assert isinstance(target, GraphQLObjectType)
    body = object_json(walk, target, details, row)
    return f"(CASE WHEN {row}.{present} IS NULL THEN NULL ELSE {body} END)"


def fetch_one(walk: Walk, type_name: str, details: FieldDetailsList, pk: str) -> str:
    """The object of `type_name` whose id is the SQL expression `pk`; null when none.

    A Claim id that was merged away gives the claim it was merged into
    (api/claims/merged.py).
    """
    target = walk.schema.get_type(type_name)
    assert isinstance(target, GraphQLObjectType)
    x = walk.alias("x")
    body = object_json(walk, target, details, x)
    if type_name == "Claim":
        asked = walk.alias("m")
        return (
            f"(SELECT {body} FROM claim {asked} JOIN claim {x}"
            f" ON {_resolves_to(asked, x)} WHERE {asked}.id = {pk})"
        )
    return f"(SELECT {body} FROM {TABLES[type_name]} {x} WHERE {x}.id = {pk})"


@lru_cache(maxsize=1024)
def _resolves_to(asked: str, kept: str) -> str:
    return sqltext.rendered(merged.resolves_to(merged.claim.alias(asked), merged.claim.alias(kept)))


def _chain(role: str | None) -> Relation:
    """Attribution.via (role VIA) and .chain (every link), outermost first."""

    def render(walk: Walk, type_: GraphQLObjectType, details: FieldDetailsList, row: str) -> str:
        source = walk.schema.get_type("Source")
        assert isinstance(source, GraphQLObjectType)
        link, s = walk.alias("l"), walk.alias("s")
        body = object_json(walk, source, details, s)
        only = "" if role is None else f" AND {link}.role = '{role}'"
        return (
            f"coalesce((SELECT json_agg({body} ORDER BY {link}.position)"
            f" FROM attribution_chain {link} JOIN source {s} ON {s}.id = {link}.source_id"
            f" WHERE {link}.attribution_id = {row}.id{only}), '[]'::json)"
        )

    return render


def _origin(walk: Walk, type_: GraphQLObjectType, details: FieldDetailsList, row: str) -> str:
    """The last link of the chain, else the attributed source."""
    link = walk.alias("l")
    innermost = (
        f"(SELECT {link}.source_id FROM attribution_chain {link}"
        f" WHERE {link}.attribution_id = {row}.id ORDER BY {link}.position DESC LIMIT 1)"
    )
    return fetch_one(walk, "Source", details, f"coalesce({innermost}, {row}.source_id)")


Relation = Callable[[Walk, GraphQLObjectType, FieldDetailsList, str], str]


def _attributions(walk: Walk, type_: GraphQLObjectType, details: FieldDetailsList, row: str) -> str:
    from schema.compiled.connections import attribution_connection

    return attribution_connection(walk, type_, details, row)


RELATIONS: dict[tuple[str, str], Relation] = {
    ("Source", "attributions"): _attributions,
    ("Document", "attributions"): _attributions,
    ("Claim", "attributions"): _attributions,
    ("Attribution", "via"): _chain("VIA"),
    ("Attribution", "chain"): _chain(None),
    ("Attribution", "origin"): _origin,
}
