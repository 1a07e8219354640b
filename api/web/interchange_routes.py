"""HTTP routes of the per-claim formats: ClaimReview, PROV-JSON, PROV-O JSON-LD, CSV.

    GET /claims/{id}/claimreview.jsonld   application/ld+json
    GET /claims/{id}/prov.json            application/json (PROV-JSON)
    GET /claims/{id}/prov.jsonld          application/ld+json (PROV-O)
    GET /claims/{id}/comparison.csv       text/csv (`?bom=true` for Excel)

`{id}` is the claim's global id, as GraphQL gives it (URL-encoded; a merged claim's
id reads as the claim it was merged into); `?includeSuggested=false` leaves
unconfirmed suggestions out. Reads follow the GraphQL read policy
(CLAIMGRAPH_ANONYMOUS_READ, api/auth/roles.py): without the right to read, 401 or
403 with the same error body as /graphql; an unknown claim is 404. They read where a
GraphQL query would: the reads pool, or the replica (DATABASE_READ_URL) when the caller
cannot miss its own write there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.auth.roles import AccessPolicy, Role
from api.errors import ErrorCode
from api.interchange.claimreview import export_claim_review
from api.interchange.csv_export import export_comparison_csv
from api.interchange.ids import decode_typed
from api.interchange.prov import export_prov, serialized
from api.replicas.router import RequestReads
from api.settings import Settings
from api.web.request_context import request_caller

JSON_LD = "application/ld+json"
Render = Callable[[AsyncConnection, int, Request], Awaitable[Response | None]]


def _error(status: int, code: ErrorCode, message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code.value}}]}
    headers = {"WWW-Authenticate": 'Bearer realm="claimgraph"'} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _flag(request: Request, name: str, default: bool) -> bool:
    value = request.query_params.get(name)
    return default if value is None else value.lower() in ("1", "true", "yes")


def _route(path: str, render: Render) -> Route:
    async def endpoint(request: Request) -> Response:
        settings: Settings = request.app.state.settings
        policy = AccessPolicy.of(settings)
        refusal = policy.refusal(await request_caller(request), Role.READER)
        if refusal is not None:
            problem = refusal.problems[0]
            status = 401 if problem.code is ErrorCode.UNAUTHENTICATED else 403
            return _error(status, problem.code, problem.message)
        pk = decode_typed(request.path_params["id"], "Claim")
        if pk is not None:
            async with _reads(request).connect() as connection:
                response = await render(connection, pk, request)
            if response is not None:
                return response
        return _error(404, ErrorCode.NOT_FOUND, "no claim has this id")

    return Route(f"/claims/{{id:path}}/{path}", endpoint, methods=["GET"])


def _reads(request: Request) -> AsyncEngine | RequestReads:
    """Where this request reads, as a GraphQL query would: the replica when the caller
    cannot miss its own write there (api/replicas), else the primary's reads pool."""
    reads: RequestReads | None = request.scope.get("state", {}).get("reads")
    if reads is not None:
        return reads
    engine: AsyncEngine = request.app.state.reads
    return engine


def _suggested(request: Request) -> bool:
    return _flag(request, "includeSuggested", True)


async def _claim_review(db: AsyncConnection, pk: int, request: Request) -> Response | None:
    found = await export_claim_review(db, pk, include_suggested=_suggested(request))
    return None if found is None else Response(orjson.dumps(found), media_type=JSON_LD)


async def _prov(db: AsyncConnection, pk: int, request: Request, rdf: bool) -> Response | None:
    document = await export_prov(db, pk, include_suggested=_suggested(request))
    if document is None:
        return None
    text = await serialized(document, rdf=rdf)
    return Response(text, media_type=JSON_LD if rdf else "application/json")


async def _prov_json(db: AsyncConnection, pk: int, request: Request) -> Response | None:
    return await _prov(db, pk, request, rdf=False)


async def _prov_jsonld(db: AsyncConnection, pk: int, request: Request) -> Response | None:
    return await _prov(db, pk, request, rdf=True)


async def _csv(db: AsyncConnection, pk: int, request: Request) -> Response | None:
    found = await export_comparison_csv(
        db, pk, include_suggested=_suggested(request), bom=_flag(request, "bom", False)
    )
    if found is None:
        return None
    headers: dict[str, Any] = {
        "Content-Disposition": f'attachment; filename="claim-{pk}-comparison.csv"'
    }
    return Response(found, media_type="text/csv; charset=utf-8", headers=headers)


routes = [
    _route("claimreview.jsonld", _claim_review),
    _route("prov.json", _prov_json),
    _route("prov.jsonld", _prov_jsonld),
    _route("comparison.csv", _csv),
]
