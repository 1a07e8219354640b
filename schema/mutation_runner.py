"""The one place where a mutation's transaction begins and its failures become data."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import strawberry
from sqlalchemy import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction

from api.auth.roles import Role
from api.errors import DomainError, ErrorCode, Problem
from api.idempotency import service as idempotency
from api.revisions.service import act_as
from schema.context import Info
from schema.errors import CommitUnknown, UserError, failure_code, user_errors
from schema.ids import decode_typed
from schema.written import ReadBack, Written

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Constraint violations that a race between two valid requests can still reach.
CONSTRAINT_PROBLEMS = {
    "uq_document_url": Problem(
        ErrorCode.DUPLICATE, "a document with this url exists", ("input", "url")
    ),
}


@dataclass
class Outcome:
    """The id of what was written, or the errors that stopped it (then nothing was written)."""

    pk: int | None
    errors: list[UserError]
    row: RowMapping | None = None

    def node(self, build: Callable[[RowMapping], T]) -> T | None:
        """The written object, as the write's own transaction read it just before COMMIT
        (schema/written.py): a committed write answers with what it wrote."""
        return None if self.row is None else build(self.row)


CLIENT_MUTATION_ID = (
    "Any string of 1 to 300 printable ASCII characters, echoed in the payload. Sent again"
    " with the same input (by the same key), the mutation writes nothing new and answers"
    " with the object the first one wrote; with another input it fails with"
    " IDEMPOTENCY_KEY_REUSED."
)


@strawberry.input
class MutationInput:
    """What every mutation's input carries: the client's idempotency key."""

    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


@strawberry.type
class MutationPayload:
    client_mutation_id: str | None = strawberry.field(
        default=None, description="The input's clientMutationId, as sent."
    )


async def run_mutation(
    info: Info,
    work: Callable[[AsyncSession], Awaitable[int]],
    ids: Ids | None = None,
    input: MutationInput | None = None,
    needed: Role = Role.EDITOR,
    read_back: ReadBack | None = None,
) -> Outcome:
    """Run `work` in one transaction: it commits whole or not at all.

    Problems with the input's ids come first; the service's own finding about the
    same field (an id that decoded to nothing names no row) is dropped as redundant.
    With a clientMutationId seen before (same input), the first write's object is the
    answer and `work` does not run. `read_back` reads the payload's object in the same
    transaction, so that once COMMIT has succeeded no read can fail the answer.
    """
    try:
        writer = info.context.writer(needed)
    except DomainError as refusal:  # no key, or too low a role: only that is reported
        return Outcome(None, user_errors(refusal))
    id_problems = ids.problems if ids else []
    written: Written | None = None
    try:
        async with writer() as session:
            transaction = await session.begin()
            await act_as(session, info.context.caller.actor)
            pk = await once(info, session, work, input)
            if id_problems:
                raise DomainError(id_problems)
            if read_back is not None:
                written = await read_back.read(session, pk)
            await commit(info, transaction)
    except DomainError as exc:
        fields = {p.field for p in id_problems}
        rest = [p for p in exc.problems if p.field not in fields or p in id_problems]
        return Outcome(None, user_errors(DomainError(_unique([*id_problems, *rest]))))
    except IntegrityError as exc:
        return Outcome(None, [integrity_problem(exc)])
    # Mutations of one request run one after another; each must read what the last wrote.
    info.context.wrote(response_key(info), read_back.id_of(pk) if read_back else None)
    if written is None:
        return Outcome(pk, [])
    info.context.loaders.prime(written.rows)
    return Outcome(pk, [], written.row)


async def commit(info: Info, transaction: AsyncSessionTransaction) -> None:
    """COMMIT a mutation's transaction.

    A connection lost during COMMIT leaves the write in doubt: PostgreSQL may have
    committed it before the answer was lost. That is CommitUnknown, never the
    UNAVAILABLE that tells a client to retry. Under an Idempotency-Key this is only a
    savepoint: the request's own COMMIT comes later, in the gate, which answers for it
    (api/web/idempotency_gate.py).
    """
    try:
        await transaction.commit()
    except Exception as exc:
        if info.context.shared is None and failure_code(exc) is not None:
            raise CommitUnknown from exc
        raise


def response_key(info: Info) -> str:
    """The name the answer of this resolver's root field goes under (its alias, if any)."""
    path = info.path
    while path.prev is not None:
        path = path.prev
    return str(path.key)


async def once(
    info: Info,
    session: AsyncSession,
    work: Callable[[AsyncSession], Awaitable[int]],
    input: MutationInput | None,
) -> int:
    """`work`, unless its clientMutationId says it ran before; then what it wrote."""
    if input is None or input.client_mutation_id is None:
        return await work(session)
    key = input.client_mutation_id
    context = info.context
    request = {"mutation": info.field_name, "input": dataclasses.asdict(input)}
    ttl = timedelta(hours=context.settings.idempotency_ttl_hours)
    written, request_hash = await idempotency.replayed_write(
        session, context.caller, key, request, ttl
    )
    if written is not None:
        return written
    pk = await work(session)
    await idempotency.remember(
        session,
        idempotency.owner_of(context.caller),
        idempotency.CLIENT_MUTATION_PREFIX + key,
        request_hash,
        {"id": pk},
    )
    return pk


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def integrity_problem(exc: IntegrityError) -> UserError:
    # SQLAlchemy wraps the driver's exception; asyncpg's carries the constraint name.
    driver_error = getattr(exc.orig, "__cause__", None) or exc.orig
    constraint = getattr(driver_error, "constraint_name", None) or ""
    problem = CONSTRAINT_PROBLEMS.get(constraint)
    if problem is None:
        logger.warning("constraint %s refused a write that validation let through", constraint)
        problem = Problem(ErrorCode.INVALID, f"the input breaks a rule of the data ({constraint})")
    return UserError.from_problem(problem)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "AEIOU" else f"a {noun}"


class Ids:
    """Decodes the ids of one input; each wrong one becomes a NOT_FOUND with its path.

    A wrong id becomes a negative key, which names no row (identity columns start at 1),
    so the service still checks every other field and all problems come in one answer.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def required(self, value: strawberry.ID, type_name: str, *field: str) -> int:
        pk = decode_typed(value, type_name)
        if pk is None:
            self.problems.append(
                Problem(ErrorCode.NOT_FOUND, f"{value!r} is not the id of {_a(type_name)}", field)
            )
            # Each wrong id gets a key of its own, so two of them never look like a repeat.
            return -len(self.problems)
        return pk

    def optional(self, value: strawberry.ID | None, type_name: str, *field: str) -> int | None:
        return None if value is None else self.required(value, type_name, *field)

    def many(self, values: list[strawberry.ID] | None, type_name: str, *field: str) -> list[int]:
        return [self.required(v, type_name, *field, str(i)) for i, v in enumerate(values or [])]
