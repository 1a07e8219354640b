"""`claimgraph export`: every source, document, claim and attribution as JSON Lines.

One consistent snapshot (REPEATABLE READ), read through server-side cursors, so a
dump of any size streams in constant memory. The order lets an importer stream it
back: a header, sources (each after its affiliation), documents, claims (merged ones
after the claims they were merged into), then
attributions with their stored chains, each type by id. Ids are the API's global
ids. The dump is the whole record: rejected and retracted attributions are in it
too, with their review status (the current-data formats leave them out).
`version` and the history are not exported: they are this database's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson

from api.interchange.ids import encode_id
from api.interchange.records import FORMAT, FORMAT_VERSION

PREFETCH = 2000


def _changed_since(alias: str, node_type: str) -> str:
    return (
        f"($1::timestamptz IS NULL OR {alias}.created_at >= $1 OR EXISTS (SELECT 1 FROM revision r"
        f" WHERE r.node_type = '{node_type}' AND r.node_id = {alias}.id AND r.at >= $1))"
    )


QUERIES = {
    "Source": f"""
        WITH RECURSIVE depth (id, d) AS (
            SELECT id, 0 FROM source WHERE affiliation_id IS NULL
            UNION ALL
            SELECT s.id, depth.d + 1 FROM source s JOIN depth ON s.affiliation_id = depth.id
            WHERE depth.d < 64
        )
        SELECT s.* FROM source s
        LEFT JOIN (SELECT id, max(d) AS d FROM depth GROUP BY id) x ON x.id = s.id
        WHERE {_changed_since("s", "Source")}
        ORDER BY x.d NULLS LAST, s.id""",
    "Document": f"SELECT d.* FROM document d WHERE {_changed_since('d', 'Document')} ORDER BY d.id",
    # Kept claims before merged ones, which point at them (merges are flattened).
    "Claim": f"""SELECT c.* FROM claim c WHERE {_changed_since("c", "Claim")}
        ORDER BY c.merged_into_id IS NOT NULL, c.id""",
    "Attribution": f"""
        SELECT a.*,
               ARRAY(SELECT c.role FROM attribution_chain c
                     WHERE c.attribution_id = a.id ORDER BY c.position) AS chain_roles,
               ARRAY(SELECT c.source_id FROM attribution_chain c
                     WHERE c.attribution_id = a.id ORDER BY c.position) AS chain_sources
        FROM attribution a WHERE {_changed_since("a", "Attribution")} ORDER BY a.id""",
}


def _time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _ref(type_name: str, pk: int | None) -> str | None:
    return encode_id(type_name, pk) if pk is not None else None


def source_record(row: Any) -> dict[str, Any]:
    return {
        "type": "Source",
        "id": encode_id("Source", row["id"]),
        "name": row["name"],
        "kind": row["kind"],
        "aliases": list(row["aliases"]),
        "affiliation": _ref("Source", row["affiliation_id"]),
        "reliability": row["reliability"],
        "stateAffiliated": row["state_affiliated"],
        "createdAt": _time(row["created_at"]),
    }


def document_record(row: Any) -> dict[str, Any]:
    return {
        "type": "Document",
        "id": encode_id("Document", row["id"]),
        "url": row["url"],
        "title": row["title"],
        "language": row["language"],
        "publishedAt": _time(row["published_at"]),
        "publisher": _ref("Source", row["publisher_id"]),
        "text": row["text"],
        "createdAt": _time(row["created_at"]),
    }


def claim_record(row: Any) -> dict[str, Any]:
    return {
        "type": "Claim",
        "id": encode_id("Claim", row["id"]),
        "statement": row["statement"],
        "language": row["language"],
        "mergedInto": _ref("Claim", row["merged_into_id"]),
        "createdAt": _time(row["created_at"]),
    }


def attribution_record(row: Any) -> dict[str, Any]:
    quantity = None
    if row["quantity_value"] is not None:
        quantity = {
            "value": row["quantity_value"],
            "unit": row["quantity_unit"],
            "bound": row["quantity_bound"],
        }
    return {
        "type": "Attribution",
        "id": encode_id("Attribution", row["id"]),
        "claim": encode_id("Claim", row["claim_id"]),
        "document": encode_id("Document", row["document_id"]),
        "source": encode_id("Source", row["source_id"]),
        "chain": [
            {"role": role, "source": encode_id("Source", source)}
            for role, source in zip(row["chain_roles"], row["chain_sources"], strict=True)
        ],
        "stance": row["stance"],
        "confidence": row["confidence"],
        "hedges": list(row["hedges"]),
        "quote": row["quote"],
        "quoteStart": row["quote_start"],
        "quoteEnd": row["quote_end"],
        "quantity": quantity,
        "reportedAt": _time(row["reported_at"]),
        "method": row["method"],
        "extractorVersion": row["extractor_version"],
        "reviewStatus": row["review_status"],
        "reviewedAt": _time(row["reviewed_at"]),
        "retractionReason": row["retraction_reason"],
        "createdAt": _time(row["created_at"]),
    }


BUILDERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "Source": source_record,
    "Document": document_record,
    "Claim": claim_record,
    "Attribution": attribution_record,
}


def header() -> bytes:
    return orjson.dumps({"type": "Header", "format": FORMAT, "version": FORMAT_VERSION}) + b"\n"


async def export_jsonl(
    connection: Any, write: Callable[[bytes], object], *, since: datetime | None = None
) -> Counter[str]:
    """Write the dump line by line through `write`; returns how many records of each type.

    With `since`, only records created or changed (by any revision) at or after it.
    """
    counts: Counter[str] = Counter()
    write(header())
    async with connection.transaction(isolation="repeatable_read", readonly=True):
        for kind, query in QUERIES.items():
            build = BUILDERS[kind]
            async for row in connection.cursor(query, since, prefetch=PREFETCH):
                write(orjson.dumps(build(row)) + b"\n")
                counts[kind] += 1
    return counts
