"""The node types as SQL: each GraphQL field of Source, Document, Claim, Attribution and
Quantity as an expression over a row alias, and objects as `json_build_object`.

Fields that do not map to data (history, comparison) are not here: a query asking for
them is not compiled.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import GraphQLObjectType, get_named_type
from graphql.execution.collect_fields import FieldDetailsList

from schema.compiled import sqltext
from schema.compiled.walk import NotCompilable, Walk

Column = Callable[[str], str]


def _plain(column: str) -> Column:
    return lambda a: f"{a}.{column}"


def _json(column: str) -> Column:
    return lambda a: f"to_json({a}.{column})"


def _datetime(column: str) -> Column:
    return lambda a: sqltext.iso_datetime(f"{a}.{column}")


def _float(column: str) -> Column:
    return lambda a: sqltext.json_float(f"{a}.{column}")


def _id(type_name: str) -> Column:
    return lambda a: sqltext.global_id(type_name, f"{a}.id")


SCALARS: dict[str, dict[str, Column]] = {
    "Source": {
        "id": _id("Source"),
        "name": _plain("name"),
        "kind": _plain("kind"),
        "aliases": _json("aliases"),
        "reliability": _plain("reliability"),
        "stateAffiliated": _plain("state_affiliated"),
        "version": _plain("version"),
    },
    "Document": {
        "id": _id("Document"),
        "url": _plain("url"),
        "title": _plain("title"),
        "language": _plain("language"),
        "publishedAt": _datetime("published_at"),
        "text": _plain("text"),
        "version": _plain("version"),
    },
    "Claim": {
        "id": _id("Claim"),
        "statement": _plain("statement"),
        "language": _plain("language"),
        "createdAt": _datetime("created_at"),
        "version": _plain("version"),
    },
    "Attribution": {
        "id": _id("Attribution"),
        "stance": _plain("stance"),
        "confidence": _float("confidence"),
        "hedges": _json("hedges"),
        "quote": _plain("quote"),
        "quoteStart": _plain("quote_start"),
        "quoteEnd": _plain("quote_end"),
        "reportedAt": _datetime("reported_at"),
        "method": _plain("method"),
        "extractorVersion": _plain("extractor_version"),
        "reviewStatus": _plain("review_status"),
        "reviewedAt": _datetime("reviewed_at"),
        "retractionReason": _plain("retraction_reason"),
        "version": _plain("version"),
    },
    # A Quantity is read from its attribution's row (quantity_* columns).
    "Quantity": {
        "value": _float("quantity_value"),
        "unit": _plain("quantity_unit"),
        "bound": _plain("quantity_bound"),
    },
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
    column = SCALARS.get(type_.name, {}).get(name)
    if column is not None:
        return column(row)
    relation = RELATIONS.get((type_.name, name))
    if relation is None:
        raise NotCompilable(f"{type_.name}.{name}")
    return relation(walk, type_, details, row)


def fetch_one(walk: Walk, type_name: str, details: FieldDetailsList, pk: str) -> str:
    """The object of `type_name` whose id is the SQL expression `pk`; null when none.

    A Claim id that was merged away gives the claim it was merged into, as
    api.claims.repository.claims_by_id does.
    """
    target = walk.schema.get_type(type_name)
    assert isinstance(target, GraphQLObjectType)
    x = walk.alias("x")
    body = object_json(walk, target, details, x)
    if type_name == "Claim":
        asked = walk.alias("m")
        return (
            f"(SELECT {body} FROM claim {asked} JOIN claim {x}"
            f" ON {x}.id = coalesce({asked}.merged_into_id, {asked}.id) WHERE {asked}.id = {pk})"
        )
    return f"(SELECT {body} FROM {TABLES[type_name]} {x} WHERE {x}.id = {pk})"


def _to_one(type_name: str, foreign_key: str) -> Relation:
    def render(walk: Walk, type_: GraphQLObjectType, details: FieldDetailsList, row: str) -> str:
        return fetch_one(walk, type_name, details, f"{row}.{foreign_key}")

    return render


def _quantity(walk: Walk, type_: GraphQLObjectType, details: FieldDetailsList, row: str) -> str:
    definition = type_.fields["quantity"]
    target = get_named_type(definition.type)
    assert isinstance(target, GraphQLObjectType)
    body = object_json(walk, target, details, row)
    return f"(CASE WHEN {row}.quantity_value IS NULL THEN NULL ELSE {body} END)"


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
    ("Source", "affiliation"): _to_one("Source", "affiliation_id"),
    ("Source", "attributions"): _attributions,
    ("Document", "publisher"): _to_one("Source", "publisher_id"),
    ("Document", "attributions"): _attributions,
    ("Claim", "attributions"): _attributions,
    ("Attribution", "claim"): _to_one("Claim", "claim_id"),
    ("Attribution", "document"): _to_one("Document", "document_id"),
    ("Attribution", "source"): _to_one("Source", "source_id"),
    ("Attribution", "quantity"): _quantity,
    ("Attribution", "via"): _chain("VIA"),
    ("Attribution", "chain"): _chain(None),
    ("Attribution", "origin"): _origin,
}
