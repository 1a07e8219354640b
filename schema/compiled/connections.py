"""Relay connections as SQL: one keyset page, its cursors, pageInfo and totalCount.

The page is the resolver path's page exactly: the same order (api.pagination.Keyset),
the same `after` condition, LIMIT first + 1 whose extra row only sets hasNextPage,
and cursors printed as Keyset.encode prints them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graphql import GraphQLObjectType, get_named_type
from graphql.execution.collect_fields import FieldDetailsList

from api.pagination import (
    CLAIM_ATTRIBUTIONS,
    DOCUMENT_ATTRIBUTIONS,
    SOURCE_ATTRIBUTIONS,
    Cursor,
    Keyset,
    PageRequest,
    PaginationError,
)
from schema.compiled import sqltext
from schema.compiled.objects import object_json
from schema.compiled.walk import NotCompilable, Walk

Condition = Callable[[str], str]
# Renders a page row as the edge's node: object_json, or a type built from a joined row.
NodeJson = Callable[[Walk, GraphQLObjectType, FieldDetailsList, str], str]


@dataclass(frozen=True)
class Listing:
    """What one connection lists: rows of `table` matching `where`, in `keyset` order."""

    table: str
    keyset: Keyset
    key: str
    where: Condition
    # The count, when it need not read `table` (a join only the page's rows need).
    counted: Callable[[Walk], str] | None = None

    def count(self, walk: Walk) -> str:
        if self.counted is not None:
            return self.counted(walk)
        x = walk.alias("n")
        return f"(SELECT count(*) FROM {self.table} {x} WHERE {self.where(x)})"


def page_request(
    walk: Walk, keyset: Keyset, details: FieldDetailsList, type_: GraphQLObjectType
) -> PageRequest:
    name = details[0].node.name.value
    arguments = walk.arguments(type_.fields[name], details)
    try:
        return keyset.request(arguments.get("first"), arguments.get("after"))
    except PaginationError as exc:
        # The resolver path reports it, with its message and code.
        raise NotCompilable(str(exc)) from exc


def connection_json(
    walk: Walk,
    type_: GraphQLObjectType,
    details: FieldDetailsList,
    listing: Listing,
    request: PageRequest,
    node: NodeJson = object_json,
) -> str:
    """The connection field `details` of `type_`, listing `listing` per `request`."""
    connection = get_named_type(type_.fields[details[0].node.name.value].type)
    assert isinstance(connection, GraphQLObjectType)
    t, q, p = walk.alias("t"), walk.alias("q"), walk.alias("p")
    first = walk.param(request.first, "int")
    keyset = listing.keyset
    page = (
        f"SELECT {q}.*, row_number() OVER (ORDER BY {_order(keyset, q, listing.key)}) AS cg_rn"
        f" FROM (SELECT {t}.* FROM {listing.table} {t}"
        f" WHERE {listing.where(t)} AND {_after(walk, keyset, t, listing.key, request.cursor)}"
        f" ORDER BY {_order(keyset, t, listing.key)} LIMIT {first} + 1) {q}"
    )
    shown = f"{p}.cg_rn <= {first}"
    cursor = sqltext.cursor(keyset, f"{p}.{listing.key}", f"{p}.id")
    pairs: list[str] = []
    for key, field_details in walk.subfields(connection, details).items():
        name = field_details[0].node.name.value
        if name == "__typename":
            value = sqltext.quoted(connection.name)
        elif name == "totalCount":
            value = listing.count(walk)
        elif name == "edges":
            edge = get_named_type(connection.fields["edges"].type)
            assert isinstance(edge, GraphQLObjectType)
            body = _edge(walk, edge, field_details, p, cursor, node)
            value = (
                f"coalesce(json_agg({body} ORDER BY {p}.cg_rn) FILTER (WHERE {shown}), '[]'::json)"
            )
        elif name == "pageInfo":
            info = get_named_type(connection.fields["pageInfo"].type)
            assert isinstance(info, GraphQLObjectType)
            value = _page_info(walk, info, field_details, request, p, first, cursor)
        else:
            raise NotCompilable(f"{connection.name}.{name}")
        pairs += [sqltext.quoted(key), value]
    # GROUP BY (): one row, even when no aggregate is selected (only totalCount).
    return f"(SELECT json_build_object({', '.join(pairs)}) FROM ({page}) {p} GROUP BY ())"


def _edge(
    walk: Walk,
    edge: GraphQLObjectType,
    details: FieldDetailsList,
    p: str,
    cursor: str,
    node_json: NodeJson,
) -> str:
    pairs: list[str] = []
    for key, field_details in walk.subfields(edge, details).items():
        name = field_details[0].node.name.value
        if name == "__typename":
            value = sqltext.quoted(edge.name)
        elif name == "cursor":
            value = cursor
        else:
            node = get_named_type(edge.fields["node"].type)
            assert isinstance(node, GraphQLObjectType)
            value = node_json(walk, node, field_details, p)
        pairs += [sqltext.quoted(key), value]
    return f"json_build_object({', '.join(pairs)})"


def _page_info(
    walk: Walk,
    info: GraphQLObjectType,
    details: FieldDetailsList,
    request: PageRequest,
    p: str,
    first: str,
    cursor: str,
) -> str:
    shown = f"FILTER (WHERE {p}.cg_rn <= {first})"
    values = {
        "__typename": sqltext.quoted(info.name),
        "hasNextPage": f"(count(*) > {first})",
        "hasPreviousPage": "true" if request.cursor is not None else "false",
        "startCursor": f"(array_agg({cursor} ORDER BY {p}.cg_rn) {shown})[1]",
        "endCursor": f"(array_agg({cursor} ORDER BY {p}.cg_rn DESC) {shown})[1]",
    }
    pairs: list[str] = []
    for key, field_details in walk.subfields(info, details).items():
        pairs += [sqltext.quoted(key), values[field_details[0].node.name.value]]
    return f"json_build_object({', '.join(pairs)})"


def _order(keyset: Keyset, row: str, key: str) -> str:
    """Keyset.order_by in SQL."""
    direction = "DESC" if keyset.descending else "ASC"
    nulls = " NULLS LAST" if keyset.nullable else ""
    return f"{row}.{key} {direction}{nulls}, {row}.id {direction}"


def _after(walk: Walk, keyset: Keyset, row: str, key: str, cursor: Cursor | None) -> str:
    """Keyset.after in SQL, the cursor's key and id bound as parameters."""
    if cursor is None:
        return "true"
    key_type = "timestamptz" if keyset.key_type == "datetime" else "int"
    beyond = "<" if keyset.descending else ">"
    pk = walk.param(cursor.id, "bigint")
    if not keyset.nullable:
        bound = walk.param(cursor.key, key_type)
        return f"({row}.{key}, {row}.id) {beyond} ({bound}, {pk})"
    if cursor.key is None:
        return f"({row}.{key} IS NULL AND {row}.id {beyond} {pk})"
    bound = walk.param(cursor.key, key_type)
    return (
        f"({row}.{key} {beyond} {bound} OR ({row}.{key} = {bound} AND {row}.id {beyond} {pk})"
        f" OR {row}.{key} IS NULL)"
    )


def _in_chain(parent: str) -> Condition:
    return lambda t: (
        f"{t}.id IN (SELECT cg_l.attribution_id FROM attribution_chain cg_l"
        f" WHERE cg_l.source_id = {parent}.id)"
    )


def attribution_connection(
    walk: Walk, type_: GraphQLObjectType, details: FieldDetailsList, row: str
) -> str:
    """Claim.attributions, Document.attributions and Source.attributions."""
    if type_.name == "Claim":
        listing = Listing(
            "attribution", CLAIM_ATTRIBUTIONS, "reported_at", lambda t: f"{t}.claim_id = {row}.id"
        )
    elif type_.name == "Document":
        listing = Listing(
            "attribution",
            DOCUMENT_ATTRIBUTIONS,
            "quote_start",
            lambda t: f"{t}.document_id = {row}.id",
        )
    else:
        listing = Listing("attribution", SOURCE_ATTRIBUTIONS, "reported_at", _in_chain(row))
    request = page_request(walk, listing.keyset, details, type_)
    return connection_json(walk, type_, details, listing, request)
