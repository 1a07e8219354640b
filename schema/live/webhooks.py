"""Webhook, createWebhook, deleteWebhook and Query.webhooks (api/live/webhooks).

A webhook belongs to the key that made it: its owner (and an admin) may list and delete
it and read its delivery log; to another key it does not exist. The secret is in
createWebhook's answer and nowhere else: not in the database (it is derived), not in a
clientMutationId replay (which stores only the id), not under an Idempotency-Key (such
a request is refused, api/web/secret_answers.py).
"""

from __future__ import annotations

import asyncio
import enum
from datetime import datetime

import strawberry
from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.roles import Role
from api.errors import DomainError, ErrorCode
from api.live.kinds import ChangeKind
from api.live.webhooks import service
from api.live.webhooks.master_key import master_key
from api.live.webhooks.network import NetworkGuard
from schema.context import Info
from schema.errors import ClientError, UserError
from schema.ids import decode_typed, encode_id
from schema.live.types import ChangeKind as ChangeKindType
from schema.mutation_runner import Ids, MutationInput, MutationPayload, run_mutation
from schema.node import Node

TYPE_NAME = "Webhook"


@strawberry.enum(description="Where a delivery stands.")
class DeliveryState(enum.Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@strawberry.type(description="One change sent, or being sent, to a webhook.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(
        description="The change's id, as in the body and the Claimgraph-Delivery header."
    )
    state: DeliveryState = strawberry.field(
        description="FAILED: retried for CLAIMGRAPH_WEBHOOK_RETRY_FOR_SECONDS, then given up."
    )
    attempts: int
    next_attempt_at: datetime | None = strawberry.field(description="Null once settled.")
    last_status: int | None = strawberry.field(description="The receiver's last HTTP status.")
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None

    @classmethod
    def from_row(cls, row: RowMapping) -> WebhookDelivery:
        pending = row["state"] == "pending"
        return cls(
            id=strawberry.ID(str(row["position"])),
            state=DeliveryState(row["state"]),
            attempts=row["attempts"],
            next_attempt_at=row["next_attempt_at"] if pending else None,
            last_status=row["last_status"],
            last_error=row["last_error"],
            created_at=row["created_at"],
            delivered_at=row["delivered_at"],
        )


@strawberry.type(description="A url that committed changes matching its filters are POSTed to.")
class Webhook(Node):
    url: str
    kinds: list[ChangeKindType] = strawberry.field(  # type: ignore[valid-type]
        description="The kinds delivered; empty: every kind."
    )
    claim_id: strawberry.ID | None
    source_id: strawberry.ID | None
    search: str | None
    active: bool = strawberry.field(description="False once its key is revoked.")
    created_at: datetime
    failing: bool = strawberry.field(
        description="A delivery was given up (retried for 24 hours); cleared by the next success."
    )
    failing_since: datetime | None
    last_error: str | None = strawberry.field(
        description="Why the last failed attempt failed; null after a success."
    )

    @strawberry.field(description="Its delivery log, newest change first (at most 100).")
    async def deliveries(
        self, info: Info, first: int = 20, after: strawberry.ID | None = None
    ) -> list[WebhookDelivery]:
        if not 0 <= first <= service.MAX_LOG_PAGE:
            raise ClientError(f"first must be 0 to {service.MAX_LOG_PAGE}")
        before = int(after) if after is not None and after.isdecimal() else None
        if after is not None and before is None:
            raise ClientError("after must be a delivery's id")
        async with info.context.session_factory() as session:
            rows = await service.deliveries(
                session, webhook_id=self.pk, first=first, before_position=before
            )
        return [WebhookDelivery.from_row(row) for row in rows]

    @classmethod
    def from_listing(cls, row: RowMapping) -> Webhook:
        claim_id, source_id = row["claim_id"], row["source_id"]
        return cls(
            pk=row["id"],
            url=row["url"],
            kinds=[ChangeKind(kind) for kind in row["kinds"]],
            claim_id=None if claim_id is None else strawberry.ID(encode_id("Claim", claim_id)),
            source_id=None if source_id is None else strawberry.ID(encode_id("Source", source_id)),
            search=row["search"],
            active=row["active"],
            created_at=row["created_at"],
            failing=row["failing_since"] is not None,
            failing_since=row["failing_since"],
            last_error=row["last_error"],
        )


def _owner(info: Info) -> tuple[int, bool]:
    """The caller's key and whether it is an admin's; anonymous callers have no webhooks."""
    context = info.context
    if refusal := context.policy.refusal(context.caller, Role.READER):
        raise refusal
    key = context.caller.key
    if key is None:
        raise DomainError.one(ErrorCode.UNAUTHENTICATED, "webhooks belong to API keys: send one")
    return key.id, key.role.allows(Role.ADMIN)


def decode_webhook_id(value: str) -> int | None:
    """The key a Webhook's global id names; None for any other id."""
    return decode_typed(value, TYPE_NAME)


async def resolve_webhook_node(info: Info, pk: int) -> Webhook | None:
    """node(id:) for a Webhook: its owner's key (an admin's: any) sees it; anyone else,
    null, as for an id that names nothing."""
    try:
        caller, admin = _owner(info)
    except DomainError:
        return None
    async with info.context.session_factory() as session:
        row = await service.visible(session, pk, caller=caller, admin=admin)
    return None if row is None else Webhook.from_listing(row)


async def resolve_webhooks(info: Info) -> list[Webhook]:
    """The caller's webhooks, oldest first; an admin's: everyone's."""
    try:
        caller, admin = _owner(info)
    except DomainError as refusal:
        problem = refusal.problems[0]
        raise ClientError(problem.message, problem.code) from refusal
    async with info.context.session_factory() as session:
        rows = await service.listed(session, caller=caller, admin=admin)
    return [Webhook.from_listing(row) for row in rows]


async def _read(info: Info, pk: int | None) -> Webhook | None:
    if pk is None:
        return None
    async with info.context.session_factory() as session:
        found = await service.by_ids(session, [pk])
    return Webhook.from_listing(found[pk]) if pk in found else None


@strawberry.input
class CreateWebhookInput(MutationInput):
    url: str = strawberry.field(description="An http or https url; deliveries are POSTed to it.")
    kinds: list[ChangeKindType] = strawberry.field(  # type: ignore[valid-type]
        default_factory=list, description="Empty: every kind."
    )
    claim_id: strawberry.ID | None = None
    source_id: strawberry.ID | None = None
    search: str | None = None


@strawberry.type
class CreateWebhookPayload(MutationPayload):
    webhook: Webhook | None
    secret: str | None = strawberry.field(
        description=(
            "The signing secret, shown only in this answer (not in a clientMutationId replay)."
        )
    )
    errors: list[UserError]


async def resolve_create_webhook(info: Info, input: CreateWebhookInput) -> CreateWebhookPayload:
    if (shared := info.context.shared) is not None:
        # Under an Idempotency-Key the answer, secret included, would be stored to replay
        # it: nothing is made, and the gate answers 400 (api/web/secret_answers.py).
        shared.refuse_secret_answer(info.field_name)
        return CreateWebhookPayload(
            webhook=None, secret=None, errors=[], client_mutation_id=input.client_mutation_id
        )
    settings = info.context.settings
    ids = Ids()
    new = service.NewWebhook(
        url=input.url,
        kinds=list(input.kinds),
        claim_id=ids.optional(input.claim_id, "Claim", "input", "claimId"),
        source_id=ids.optional(input.source_id, "Source", "input", "sourceId"),
        search=input.search,
    )
    created: list[service.Created] = []

    async def work(session: AsyncSession) -> int:
        owner, _ = _owner(info)
        master = await _master(info)
        guard = NetworkGuard.of(settings)
        created.append(
            await service.create(session, owner=owner, new=new, master=master, guard=guard)
        )
        return created[-1].id

    outcome = await run_mutation(info, work, ids=ids, input=input, needed=Role.READER)
    return CreateWebhookPayload(
        webhook=await _read(info, outcome.pk),
        # A replayed clientMutationId cannot show the secret again: it was never stored.
        secret=created[-1].secret if outcome.pk is not None and created else None,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )


async def _master(info: Info) -> bytes:
    """The master key; its file, the first time, is read in a thread."""
    return await asyncio.to_thread(master_key, info.context.settings)


@strawberry.input
class DeleteWebhookInput(MutationInput):
    id: strawberry.ID


@strawberry.type
class DeleteWebhookPayload(MutationPayload):
    webhook: Webhook | None = strawberry.field(description="The webhook as it was.")
    errors: list[UserError]


async def resolve_delete_webhook(info: Info, input: DeleteWebhookInput) -> DeleteWebhookPayload:
    deleted: list[Webhook] = []

    async def work(session: AsyncSession) -> int:
        caller, admin = _owner(info)
        pk = decode_webhook_id(input.id)
        if pk is None:
            raise DomainError.one(
                ErrorCode.NOT_FOUND, f"{input.id!r} is not the id of a Webhook", "input", "id"
            )
        row = await service.delete_webhook(session, pk=pk, caller=caller, admin=admin)
        deleted.append(Webhook.from_listing(row))
        return pk

    outcome = await run_mutation(info, work, input=input, needed=Role.READER)
    return DeleteWebhookPayload(
        webhook=deleted[-1] if outcome.pk is not None and deleted else None,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )
