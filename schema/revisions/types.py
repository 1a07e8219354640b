"""Revision, and the `history` connection every node type carries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import strawberry
from sqlalchemy import RowMapping
from strawberry.scalars import JSON

from api import enums
from api.revisions import repository
from schema.context import Info
from schema.ids import encode_id
from schema.pagination import Connection, connection, page_request

Operation = strawberry.enum(
    enums.Operation,
    description=(
        "What a revision did: CREATE, UPDATE (an edit), REVIEW (confirmed or rejected), RETRACT"
        " or MERGE (a claim merged into another, and the attributions it moved)."
    ),
)

HISTORY_DESCRIPTION = (
    "Every stored version of this object, oldest first: who wrote it, when, and the"
    " object before and after."
)
SNAPSHOT = (
    ", as the API shows it: its fields under their API names, references (publisher,"
    " affiliation, claim, document, source; a merged claim's mergedInto) as global ids"
)

Stored = Mapping[str, Any]
Read = Callable[[Stored], Any]


def _plain(column: str) -> Read:
    return lambda stored: stored[column]


def _float(column: str) -> Read:
    # jsonb keeps 1.0 as 1; the API's Float fields say 1.0.
    return lambda stored: None if stored[column] is None else float(stored[column])


def _ref(type_name: str, column: str) -> Read:
    return lambda stored: None if stored[column] is None else encode_id(type_name, stored[column])


def _time(column: str) -> Read:
    """The time as the DateTime scalar prints it (UTC): to_jsonb wrote it in the writer's
    session time zone."""

    def read(stored: Stored) -> Any:
        value = stored[column]
        try:
            return datetime.fromisoformat(value).astimezone(UTC).isoformat()
        except (TypeError, ValueError, OverflowError):
            return value

    return read


def _quantity(stored: Stored) -> dict[str, Any] | None:
    if stored["quantity_value"] is None:
        return None
    return {
        "value": float(stored["quantity_value"]),
        "unit": stored["quantity_unit"],
        "bound": stored["quantity_bound"],
    }


# What a snapshot shows of each node type: API field name -> how to read it from the
# stored row (to_jsonb of the table's row, columns and all). An allow-list: search
# vectors, fingerprints and any column added later stay out until they are named here.
SNAPSHOT_FIELDS: dict[str, dict[str, Read]] = {
    "Source": {
        "id": _ref("Source", "id"),
        "name": _plain("name"),
        "kind": _plain("kind"),
        "aliases": _plain("aliases"),
        "reliability": _plain("reliability"),
        "stateAffiliated": _plain("state_affiliated"),
        "version": _plain("version"),
        "affiliation": _ref("Source", "affiliation_id"),
    },
    "Document": {
        "id": _ref("Document", "id"),
        "url": _plain("url"),
        "title": _plain("title"),
        "language": _plain("language"),
        "publishedAt": _time("published_at"),
        "text": _plain("text"),
        "version": _plain("version"),
        "publisher": _ref("Source", "publisher_id"),
    },
    "Claim": {
        "id": _ref("Claim", "id"),
        "statement": _plain("statement"),
        "language": _plain("language"),
        "createdAt": _time("created_at"),
        "version": _plain("version"),
        "mergedInto": _ref("Claim", "merged_into_id"),
    },
    "Attribution": {
        "id": _ref("Attribution", "id"),
        "stance": _plain("stance"),
        "confidence": _float("confidence"),
        "hedges": _plain("hedges"),
        "quote": _plain("quote"),
        "quoteStart": _plain("quote_start"),
        "quoteEnd": _plain("quote_end"),
        "quantity": _quantity,
        "reportedAt": _time("reported_at"),
        "method": _plain("method"),
        "extractorVersion": _plain("extractor_version"),
        "reviewStatus": _plain("review_status"),
        "reviewedAt": _time("reviewed_at"),
        "retractionReason": _plain("retraction_reason"),
        "version": _plain("version"),
        "claim": _ref("Claim", "claim_id"),
        "document": _ref("Document", "document_id"),
        "source": _ref("Source", "source_id"),
    },
}


def snapshot(node_type: str, stored: Stored | None) -> JSON | None:
    """A stored row as the API shows its object (see SNAPSHOT_FIELDS); None stays None."""
    if stored is None:
        return None
    shown: dict[str, Any] = {}
    for name, read in SNAPSHOT_FIELDS[node_type].items():
        try:
            shown[name] = read(stored)
        except KeyError:
            continue  # a column the table did not have yet when this revision was written
    return JSON(shown)


@strawberry.type(description="One write of an object, kept for ever (the history is append-only).")
class Revision:
    pk: strawberry.Private[int]
    operation: Operation  # type: ignore[valid-type]
    actor: str = strawberry.field(
        description="The name of the API key that wrote it; 'anonymous' or 'system' (the CLI)."
    )
    at: datetime = strawberry.field(description="When the writing transaction began.")
    before: JSON | None = strawberry.field(
        description=f"The object before the write{SNAPSHOT}; null for CREATE."
    )
    after: JSON | None = strawberry.field(
        description=f"The object after the write{SNAPSHOT}; null when it was removed."
    )

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Revision", self.pk))

    @classmethod
    def from_row(cls, row: RowMapping) -> Revision:
        return cls(
            pk=row["id"],
            operation=enums.Operation(row["operation"]),
            actor=row["actor"],
            at=row["at"],
            before=snapshot(row["node_type"], row["before"]),
            after=snapshot(row["node_type"], row["after"]),
        )


async def history_of(
    info: Info,
    node_type: str,
    pk: int,
    first: int | None,
    after: str | None,
    *,
    with_merged: bool = True,
) -> Connection[Revision]:
    """One page of a node's revisions, batched with those of its siblings.

    A claim's include those of the claims merged into it unless `with_merged` is off.
    """
    request = page_request(repository.HISTORY, first, after)
    loaders = info.context.loaders
    of = repository.Of(node_type, with_merged)
    page = await loaders.history_page.load((of, pk, request))
    return connection(page, Revision.from_row, lambda: loaders.history_count.load((of, pk)))
