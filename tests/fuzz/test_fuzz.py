"""Property-based fuzzing of the GraphQL API through HTTP, as an editor.

Thousands of requests generated from the real schema (tests/fuzz/documents.py), with
hostile values (tests/fuzz/values.py), hostile documents and hostile HTTP
(tests/fuzz/transport.py), go through the real ASGI app and a real database. Whatever
they are: no 5xx, no internals in the body, no masked failure, well-formed GraphQL
responses, and a rejected request writes nothing (tests/fuzz/harness.py).

CLAIMGRAPH_FUZZ_EXAMPLES sets examples per test (default 300); CLAIMGRAPH_FUZZ_SEED
explores other inputs than the fixed CI ones. The terminal summary says how many inputs
were tried.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from tests.fuzz.documents import Request, requests
from tests.fuzz.harness import FUZZ_SETTINGS, SEED, TRIED, Fuzz, check_response, rejected
from tests.fuzz.transport import RawRequest, hostile_documents, raw_requests

# A failing example holding a 70 kB string is still worth reporting in full.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


def seeded(test: Callable[..., Any]) -> Callable[..., Any]:
    """With CLAIMGRAPH_FUZZ_SEED, hypothesis draws from that seed instead of derandomizing."""
    return seed(int(SEED))(test) if SEED is not None else test


def _json_body(request: Request) -> bytes:
    # ensure_ascii escapes lone surrogates (\ud800), which the server decodes back.
    payload = {"query": request.document, "variables": request.variables}
    return json.dumps(payload, allow_nan=True).encode()


async def send(fuzz: Fuzz, request: Request, how: str, accept: str) -> httpx.Response:
    headers = {"accept": accept}
    params = {"query": request.document, "variables": json.dumps(request.variables)}
    # A URL has a length limit of its own (httpx: 64 KiB); past 8 KiB clients POST.
    if how == "GET" and len(urlencode(params, encoding="utf-8", errors="replace")) <= 8_192:
        return await fuzz.http.get("/graphql", params=params, headers=headers)
    headers["content-type"] = "application/json"
    return await fuzz.http.post("/graphql", content=_json_body(request), headers=headers)


def same_answer(one: httpx.Response, other: httpx.Response) -> bool:
    """The same GraphQL answer: data with its keys in order, floats told from ints, the
    same errors. Sibling resolvers fail concurrently in no fixed order, so errors compare
    as a set; when an error nulls the whole data only their presence is compared, as the
    resolvers stop at whichever failed first."""

    def read(response: httpx.Response) -> Any:
        parsed = json.loads(
            response.text, object_pairs_hook=list, parse_float=lambda f: ("float", float(f))
        )
        return dict(parsed) if isinstance(parsed, list) else parsed

    a, b = read(one), read(other)
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return bool(a == b)
    if a.get("data") != b.get("data"):
        return False
    if a.get("data") is None:
        return bool(a.get("errors")) == bool(b.get("errors"))
    errors = [sorted(json.dumps(e) for e in side.get("errors") or []) for side in (a, b)]
    return errors[0] == errors[1]


ACCEPT = st.sampled_from(["application/json", "application/graphql-response+json"])


def counted(name: str) -> Callable[[int], None]:
    def count(operations: int) -> None:
        TRIED[f"{name}.requests"] += 1
        TRIED[f"{name}.operations"] += operations

    return count


@seeded
@FUZZ_SETTINGS
@given(request=requests("query"), how=st.sampled_from(["POST", "GET"]), accept=ACCEPT)
async def test_generated_queries_answer_cleanly(
    fuzz: Fuzz, request: Request, how: str, accept: str
) -> None:
    # given a query generated from the schema, with hostile arguments
    count = counted("queries")

    # when it is sent by GET or POST
    response = await send(fuzz, request, how, accept)
    count(1)

    # then the answer is a clean GraphQL response whose data holds only what was asked
    body = check_response(response)
    data = body.get("data") if isinstance(body, dict) else None
    assert data is None or set(data) <= set(request.fields), (request.document, body)

    # when it is sent again (a compiled read now answers from its statement, in front of
    # strawberry: schema/compiled/fast.py)
    again = await send(fuzz, request, how, accept)
    count(1)

    # then the same answer comes back
    assert again.status_code == response.status_code, request.document
    assert same_answer(again, response), (request.document, response.text, again.text)


@seeded
@FUZZ_SETTINGS
@given(request=requests("mutation", max_fields=2), accept=ACCEPT)
async def test_rejected_mutations_write_nothing(
    fuzz: Fuzz, request: Request, accept: str
) -> None:
    # given the stored data, and a mutation generated from the schema with hostile input
    count = counted("mutations")
    before = await fuzz.fingerprint()

    # when an editor sends it
    response = await send(fuzz, request, "POST", accept)
    count(1)

    # then it answers cleanly, and when every part of it was refused, nothing changed
    body = check_response(response)
    if rejected(body, request.fields):
        TRIED["mutations.rejected"] += 1
        assert await fuzz.fingerprint() == before, (request.document, request.variables, body)


@seeded
@FUZZ_SETTINGS
@given(document=hostile_documents(), accept=ACCEPT)
async def test_hostile_documents_are_refused_cleanly(
    fuzz: Fuzz, document: str, accept: str
) -> None:
    # given a document built to hurt: deep, cyclic, duplicated, out of range
    count = counted("hostile_documents")
    before = await fuzz.fingerprint()

    # when it is posted
    headers = {"accept": accept, "content-type": "application/json"}
    content = json.dumps({"query": document}).encode()
    response = await fuzz.http.post("/graphql", content=content, headers=headers)
    count(1)

    # then the answer is clean and nothing was written
    check_response(response)
    assert await fuzz.fingerprint() == before


@seeded
@FUZZ_SETTINGS
@given(raw=raw_requests())
async def test_malformed_http_is_refused_cleanly(fuzz: Fuzz, raw: RawRequest) -> None:
    # given a request malformed on the wire: body, batch, method, media type, headers
    count = counted("http")
    keyed = "idempotency-key" in raw.headers
    before = await fuzz.fingerprint(idempotency=not keyed)

    # when it is sent
    response = await fuzz.http.request(
        raw.method, "/graphql", content=raw.content or None, params=raw.params or None,
        headers=[(k.encode(), v if isinstance(v, bytes) else v.encode()) for k, v in
                 raw.headers.items()],
    )
    count(raw.operations)

    # then no 5xx and no leak; a refused request wrote nothing
    body: Any = check_response(response)
    if response.status_code >= 400:
        after = await fuzz.fingerprint(idempotency=not keyed)
        assert after == before, (raw, response.status_code, body)
