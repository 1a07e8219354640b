"""What every resolver sees: the request, the database and this request's loaders."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.types import Info as StrawberryInfo

from api.auth.roles import AccessPolicy, Caller, Role
from api.db import SessionFactory
from api.idempotency.shared import SharedConnection
from api.live.broker import Broker
from api.replicas.router import RequestReads
from api.search import SearchProbe
from api.settings import Settings
from schema.loaders import Loaders

if TYPE_CHECKING:  # plans import the schema's types, which import this module
    from schema.compiled.plans import Plans


class Transport(Protocol):
    """The request as this layer sees it: the ASGI scope, whose state the HTTP face fills
    (api/web/). A Starlette Request or WebSocket is one; schema/ never imports a face."""

    @property
    def scope(self) -> MutableMapping[str, Any]: ...


@dataclass
class Context:
    request: Transport
    # The HTTP face's response for this request (a Starlette Response), None on a socket.
    response: object | None
    engine: AsyncEngine
    session_factory: SessionFactory
    search: SearchProbe
    settings: Settings
    caller: Caller = field(default_factory=Caller)
    # The primary's reads pool, in autocommit (api/app.py); None: reads use `engine`.
    read_engine: AsyncEngine | None = None
    # Under an Idempotency-Key, every read and write of the request shares one
    # connection and transaction (api/web/idempotency_gate.py); else reads use the pool.
    shared: SharedConnection | None = None
    # With a replica (DATABASE_READ_URL), where this request's reads go (api/replicas).
    reads: RequestReads | None = None
    # The app's compiled statements and validated documents (schema/compiled/plans.py).
    plans: Plans | None = None
    # This request's mutations that committed, by response key: the global id of what
    # each wrote. A later failure under one is not "retry" (schema/errors.py).
    committed: dict[str, str | None] = field(default_factory=dict)
    # The process's change broker (api/live/broker.py), for subscriptions; None: none.
    broker: Broker | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        if self.shared is not None:
            self.session_factory = self.shared.session_factory
        self.loaders = self._new_loaders()

    def _new_loaders(self) -> Loaders:
        return Loaders(self.shared or self.reads or self.read_engine or self.engine)

    @property
    def policy(self) -> AccessPolicy:
        return AccessPolicy.of(self.settings)

    def writer(self, needed: Role = Role.EDITOR) -> SessionFactory:
        """The session factory for a write, once the caller is known to hold `needed`.

        Every mutation's transaction begins from here, so no write can skip the check;
        a refusal is a DomainError (UNAUTHENTICATED or FORBIDDEN) that the mutation
        reports in its payload's errors, like any other, having written nothing.
        """
        if refusal := self.policy.refusal(self.caller, needed):
            raise refusal
        if self.reads is not None:  # a mutation's request reads where it writes
            self.reads.use_primary()
        return self.session_factory

    def wrote(self, response_key: str, written_id: str | None) -> None:
        """The mutation answering under `response_key` committed what `written_id` names.

        From here on its write is durable: any failure in the rest of its answer must
        tell the client so rather than invite a retry that would write it twice.
        """
        self.committed[response_key] = written_id
        self.forget_reads()

    def forget_reads(self) -> None:
        """Drop every cached row: after a write, later fields must see the new state.

        Called after each commit (`wrote`), which is also when the caller's later reads
        must start to see the write (read-your-writes, api/replicas).
        """
        if self.reads is not None:
            self.reads.committed()
        self.loaders = self._new_loaders()


Info = StrawberryInfo[Context, None]
