"""Who a request is, and the GraphQL Context it reads with: the view's and the pages'."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from api.auth.authenticator import Authenticator
from api.auth.roles import Caller
from schema.compiled.plans import Plans
from schema.context import Context


async def request_caller(request: Request) -> Caller:
    """The caller the access gate found; on a path it does not guard, looked up here from
    the Authorization header."""
    known = request.scope.get("state", {}).get("caller")
    if isinstance(known, Caller):
        return known
    authenticator: Authenticator = request.app.state.authenticator
    return await authenticator.caller(request.headers.get("authorization"))


def graphql_context(
    request: Request | WebSocket,
    *,
    caller: Caller,
    plans: Plans,
    response: Response | None = None,
) -> Context:
    """A fresh Context (and fresh loaders) for one request, from the app's lifespan state
    and what the middlewares left in the request's scope."""
    state = request.app.state
    scope_state = request.scope.get("state", {})
    return Context(
        request=request,
        response=response,
        engine=state.engine,
        read_engine=state.reads,
        session_factory=state.session_factory,
        search=state.search,
        settings=state.settings,
        caller=caller,
        shared=scope_state.get("shared_connection"),
        reads=scope_state.get("reads"),
        plans=plans,
        broker=getattr(state, "broker", None),
    )
