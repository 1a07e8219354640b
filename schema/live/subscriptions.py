"""Subscription.changes: every committed change that matches the filters, from now on.

The arguments are checked before subscribing (a malformed id or an overlong search is
an `error` message for the subscription); the process's broker (api/live/broker.py)
then hands over each matching change. Every subscriber of one change resolves its
objects through one shared set of loaders, so N subscribers to a change cost one read
of each object, not N, and each change reads its objects as they are now.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator

import strawberry

from api.auth.roles import Role
from api.live import kinds
from api.live.broker import (
    LiveUnavailable,
    Subscriber,
    SubscriberTooSlow,
    TooManySubscriptions,
)
from api.live.matching import MAX_SEARCH_LENGTH, ChangeFilter, Search
from api.search import near_words, normalised
from schema.context import Context, Info
from schema.errors import ClientError
from schema.ids import BadId, filter_id
from schema.live.types import Change
from schema.loaders import Loaders

CHANGES_DESCRIPTION = (
    "Every change committed from now on that matches all the given filters: the claim,"
    " a source anywhere in the chain of the attribution concerned (or the source that"
    " changed), the kinds, and a search as claims(search:) matches it. No filter: every"
    " change. Anyone who may read may subscribe. Over graphql-transport-ws at /graphql"
    " (docs/live.md); a subscriber that reconnects hears changes from then on."
)
# The owner of a socket's subscriptions (a key, or a client address), set by the
# WebSocket face in the scope's state; the limit per owner counts by it.
OWNER = "live_owner"
# Loaders shared by every subscriber of one change, for the last few changes.
_SHARED: OrderedDict[tuple[int, int], Loaders] = OrderedDict()
SHARED_CHANGES = 64


async def resolve_changes(
    info: Info,
    claim_id: strawberry.ID | None = None,
    source_id: strawberry.ID | None = None,
    kinds: list[kinds.ChangeKind] | None = None,
    search: str | None = None,
) -> AsyncIterator[Change]:
    """A coroutine that checks the arguments and subscribes, then returns the events:
    what it raises is an `error` message, and the subscription never starts."""
    context = info.context
    change_filter = await _filter(context, claim_id, source_id, kinds, search)
    broker = context.broker
    if broker is None:
        raise _error("live updates are not served here", "UNAVAILABLE")
    owner = str(context.request.scope.get("state", {}).get(OWNER, context.caller.actor))
    try:
        subscriber = broker.subscribe(change_filter, owner)
    except TooManySubscriptions as exc:
        raise _error(str(exc), "RATE_LIMITED") from exc
    except LiveUnavailable as exc:
        raise _error(str(exc), "UNAVAILABLE") from exc
    return _events(context, subscriber)


async def _events(context: Context, subscriber: Subscriber) -> AsyncGenerator[Change, None]:
    try:
        async for change in subscriber.changes():
            context.loaders = _loaders_for(context, change.position)
            yield Change.of(change)
    except SubscriberTooSlow as exc:
        raise _error(str(exc), "RATE_LIMITED") from exc


async def _filter(
    context: Context,
    claim_id: str | None,
    source_id: str | None,
    wanted: list[kinds.ChangeKind] | None,
    search: str | None,
) -> ChangeFilter:
    """The arguments as a filter; a ClientError for any the client got wrong."""
    if refusal := context.policy.refusal(context.caller, Role.READER):
        problem = refusal.problems[0]
        raise ClientError(problem.message, problem.code)
    try:
        claim_pk = filter_id(claim_id, "Claim", "claimId")
        source_pk = filter_id(source_id, "Source", "sourceId")
    except BadId as exc:
        raise ClientError(str(exc)) from exc
    term = normalised(search)
    if term is not None and len(term) > MAX_SEARCH_LENGTH:
        raise ClientError(
            f"search is {len(term)} characters long; the limit is {MAX_SEARCH_LENGTH}"
        )
    found: Search | None = None
    if term is not None:
        support = await context.search.support()
        near = await context.loaders.read(lambda c: near_words(c, term, support))
        found = Search(term, near)
    if claim_pk is not None:  # a merged claim's id names the claim it was merged into
        row = await context.loaders.claim.load(claim_pk)
        claim_pk = row["id"] if row is not None else claim_pk
    return ChangeFilter(claim_pk, source_pk, frozenset(wanted or ()), found)


def _loaders_for(context: Context, position: int) -> Loaders:
    """This change's loaders, shared with every other subscriber of it in this process."""
    engine = context.read_engine or context.engine
    key = (id(engine), position)
    loaders = _SHARED.get(key)
    if loaders is None:
        loaders = _SHARED[key] = Loaders(engine)
        while len(_SHARED) > SHARED_CHANGES:
            _SHARED.popitem(last=False)
    return loaders


def _error(message: str, code: str) -> ClientError:
    """A refusal with a code of the HTTP face's (RATE_LIMITED, UNAVAILABLE)."""
    error = ClientError(message)
    error.extensions = {"code": code}
    return error
