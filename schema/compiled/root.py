"""The Query fields that compile: node, nodes, and the unsearched claims, sources and
documents lists. One SELECT builds the whole `data` object."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from graphql import GraphQLObjectType
from graphql.execution.collect_fields import FieldDetailsList
from sqlalchemy import literal_column, select

from api.claims.filter import claim, listed
from api.pagination import CLAIMS, DOCUMENTS, SOURCES, Keyset
from schema.compiled import sqltext
from schema.compiled.connections import Listing, connection_json, page_request
from schema.compiled.objects import fetch_one
from schema.compiled.source_comparison import compare_sources
from schema.compiled.walk import NotCompilable, Walk
from schema.ids import BadId, decode_id, filter_id

MAX_NODES = 100


def data_sql(walk: Walk) -> str:
    """`SELECT <the data object as JSON text>, <whether it holds>`, parameters in `walk`."""
    root = walk.schema.query_type
    assert root is not None
    pairs: list[str] = []
    for key, details in walk.root_fields(root).items():
        pairs += [sqltext.quoted(key), _root_field(walk, root, details)]
    complete = " AND ".join(walk.checks) or "true"
    return f"SELECT json_build_object({', '.join(pairs)})::text, {complete}"


def _root_field(walk: Walk, root: GraphQLObjectType, details: FieldDetailsList) -> str:
    name = details[0].node.name.value
    if name == "__typename":
        return sqltext.quoted(root.name)
    render = ROOT_FIELDS.get(name)
    if render is None:
        raise NotCompilable(f"Query.{name}")
    return render(walk, root, details)


def _node_by_id(walk: Walk, details: FieldDetailsList, global_id: str) -> str:
    try:
        type_name, pk = decode_id(global_id)
    except BadId as exc:
        raise NotCompilable(str(exc)) from exc
    if type_name == "Webhook":  # its owner's alone: the resolver decides who sees it
        raise NotCompilable("node(id:) of a Webhook")
    return fetch_one(walk, type_name, details, walk.param(pk, "bigint"))


def _node(walk: Walk, root: GraphQLObjectType, details: FieldDetailsList) -> str:
    arguments = walk.arguments(root.fields["node"], details)
    return _node_by_id(walk, details, arguments["id"])


def _nodes(walk: Walk, root: GraphQLObjectType, details: FieldDetailsList) -> str:
    ids = walk.arguments(root.fields["nodes"], details)["ids"]
    if len(ids) > MAX_NODES:
        raise NotCompilable("too many ids")
    return f"json_build_array({', '.join(_node_by_id(walk, details, i) for i in ids)})"


# The rows a list pages through: a table, or a subquery, for the request's arguments.
Rows = Callable[[Walk, dict[str, Any]], str]


def _listing(
    rows: Rows, keyset: Keyset
) -> Callable[[Walk, GraphQLObjectType, FieldDetailsList], str]:
    def render(walk: Walk, root: GraphQLObjectType, details: FieldDetailsList) -> str:
        arguments = walk.arguments(root.fields[details[0].node.name.value], details)
        if arguments.get("search") is not None:
            raise NotCompilable("search")
        request = page_request(walk, keyset, details, root)
        listing = Listing(rows(walk, arguments), keyset, "created_at", _everything)
        return connection_json(walk, root, details, listing, request)

    return render


def _table(name: str) -> Rows:
    return lambda walk, arguments: name


def _everything(row: str) -> str:
    return "true"


def _listed_claims(walk: Walk, arguments: dict[str, Any]) -> str:
    """The claims the resolvers list for sourceId and documentId (api/claims/filter.py)."""
    try:
        source = filter_id(arguments.get("sourceId"), "Source", "sourceId")
        document = filter_id(arguments.get("documentId"), "Document", "documentId")
    except BadId as exc:
        raise NotCompilable(str(exc)) from exc
    source_pk = None if source is None else walk.param(source, "bigint")
    document_pk = None if document is None else walk.param(document, "bigint")
    return _claims_where(source_pk, document_pk)


@lru_cache(maxsize=256)
def _claims_where(source_pk: str | None, document_pk: str | None) -> str:
    """The filter's SQL for these parameters ($n), rendered once for each."""
    where = listed(
        source_id=None if source_pk is None else literal_column(source_pk),
        document_id=None if document_pk is None else literal_column(document_pk),
    )
    return f"({sqltext.rendered(select(claim).where(where))})"


ROOT_FIELDS: dict[str, Callable[[Walk, GraphQLObjectType, FieldDetailsList], str]] = {
    "node": _node,
    "nodes": _nodes,
    "claims": _listing(_listed_claims, CLAIMS),
    "sources": _listing(_table("source"), SOURCES),
    "documents": _listing(_table("document"), DOCUMENTS),
    "compareSources": compare_sources,
}
