"""The Query fields that compile: node, nodes, and the unsearched claims, sources and
documents lists. One SELECT builds the whole `data` object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLObjectType
from graphql.execution.collect_fields import FieldDetailsList

from api.enums import ReviewStatus
from api.pagination import CLAIMS, DOCUMENTS, SOURCES, Keyset
from schema.compiled import sqltext
from schema.compiled.comparison import compare_sources
from schema.compiled.connections import Listing, connection_json, page_request
from schema.compiled.objects import fetch_one
from schema.compiled.walk import NotCompilable, Walk
from schema.errors import ClientError
from schema.ids import BadId, decode_id
from schema.queries import filter_id

MAX_NODES = 100
# Rejected and retracted attributions link a claim to no document (ClaimFilter.where).
IGNORED = ", ".join(f"'{status.value}'" for status in ReviewStatus.ignored())


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
    return fetch_one(walk, type_name, details, walk.param(pk, "bigint"))


def _node(walk: Walk, root: GraphQLObjectType, details: FieldDetailsList) -> str:
    arguments = walk.arguments(root.fields["node"], details)
    return _node_by_id(walk, details, arguments["id"])


def _nodes(walk: Walk, root: GraphQLObjectType, details: FieldDetailsList) -> str:
    ids = walk.arguments(root.fields["nodes"], details)["ids"]
    if len(ids) > MAX_NODES:
        raise NotCompilable("too many ids")
    return f"json_build_array({', '.join(_node_by_id(walk, details, i) for i in ids)})"


def _listing(
    table: str, keyset: Keyset, filters: Callable[[Walk, dict[str, Any]], Callable[[str], str]]
) -> Callable[[Walk, GraphQLObjectType, FieldDetailsList], str]:
    def render(walk: Walk, root: GraphQLObjectType, details: FieldDetailsList) -> str:
        arguments = walk.arguments(root.fields[details[0].node.name.value], details)
        if arguments.get("search") is not None:
            raise NotCompilable("search")
        request = page_request(walk, keyset, details, root)
        listing = Listing(table, keyset, "created_at", filters(walk, arguments))
        return connection_json(walk, root, details, listing, request)

    return render


def _everything(walk: Walk, arguments: dict[str, Any]) -> Callable[[str], str]:
    return lambda t: "true"


def _claim_filters(walk: Walk, arguments: dict[str, Any]) -> Callable[[str], str]:
    """api.claims.repository.ClaimFilter.where: not merged away, then the filters."""
    try:
        source = filter_id(arguments.get("sourceId"), "Source", "sourceId")
        document = filter_id(arguments.get("documentId"), "Document", "documentId")
    except ClientError as exc:
        raise NotCompilable(str(exc)) from exc
    source_pk = None if source is None else walk.param(source, "bigint")
    document_pk = None if document is None else walk.param(document, "bigint")

    def where(t: str) -> str:
        conditions = [f"{t}.merged_into_id IS NULL"]
        if source_pk is not None:
            conditions.append(
                f"EXISTS (SELECT 1 FROM source_claim cg_sc WHERE cg_sc.claim_id = {t}.id"
                f" AND cg_sc.source_id = {source_pk})"
            )
        if document_pk is not None:
            conditions.append(
                f"EXISTS (SELECT 1 FROM attribution cg_a WHERE cg_a.claim_id = {t}.id"
                f" AND cg_a.document_id = {document_pk}"
                f" AND cg_a.review_status NOT IN ({IGNORED}))"
            )
        return " AND ".join(conditions)

    return where


ROOT_FIELDS: dict[str, Callable[[Walk, GraphQLObjectType, FieldDetailsList], str]] = {
    "node": _node,
    "nodes": _nodes,
    "claims": _listing("claim", CLAIMS, _claim_filters),
    "sources": _listing("source", SOURCES, _everything),
    "documents": _listing("document", DOCUMENTS, _everything),
    "compareSources": compare_sources,
}
