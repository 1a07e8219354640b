"""Hostile documents and hostile HTTP: what no schema-shaped generator would send.

Documents: deep nesting (of fields, lists, input objects, fragments), fragment cycles,
floods of duplicate fields and aliases, number literals out of every range, unterminated
strings and escapes, lone surrogates and NUL in the document text. HTTP: malformed and
mistyped JSON bodies, batches, every method and content type, GET with mutations, odd
Accept and Authorization headers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

from tests.fuzz.documents import Request, requests
from tests.fuzz.values import INT_EDGES, hostile_text, real_ids


@st.composite
def hostile_documents(draw: st.DrawFn) -> str:
    n = draw(st.sampled_from([2, 13, 50, 300, 5_000]))
    number = draw(st.sampled_from(
        [str(v) for v in INT_EDGES] + ["1e999", "-1e999", "NaN", "Infinity", "-Infinity",
                                       "0x10", "1_000", "01", "1.", ".5", "1e", "-", "1e-999"]
    ))
    text = json.dumps(draw(hostile_text()))
    an_id = json.dumps(draw(real_ids()))
    shapes = [
        # fields nested past the depth limit
        "{ claims { edges { node { attributions { edges { node { claim { " * (n // 10 + 1)
        + "id" + " } } } } } } }" * (n // 10 + 1),
        # braces only, and unbalanced
        "{" * n + "__typename" + "}" * n,
        "{" * n,
        "query " + "(" * n,
        # nested list and object literals
        f"{{ nodes(ids: {'[' * n}{an_id}{']' * n}) {{ id }} }}",
        f"{{ claims(search: {'{a: ' * n}1{'}' * n}) {{ totalCount }} }}",
        # a fragment cycle, a self-spread, an unknown and an unused fragment
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
        "{ ...A } fragment A on Query { sources { edges { node { id } } } ...A }",
        "{ ...Nope }",
        "{ __typename } fragment U on Query { __typename }",
        "{ ...A } " + " ".join(f"fragment {c} on Query {{ ...{d} }}" for c, d in
                               zip("ABCDEFGH", "BCDEFGHA", strict=True)),
        # duplicate fields, conflicting arguments, alias floods
        "{ " + "claims { totalCount } " * n + "}",
        "{ c: claims(first: 1) { totalCount } c: claims(first: 2) { totalCount } }",
        "{ " + " ".join(f"a{i}: sources(first: 100) {{ totalCount }}" for i in range(n)) + " }",
        f"{{ node(id: {an_id}) {{ id ... on Claim {{ id id id statement statement }} }} }}",
        # numbers and strings the lexer must refuse or bound
        f"{{ claims(first: {number}) {{ totalCount }} }}",
        f"{{ nodes(ids: [{number}]) {{ id }} }}",
        f"{{ claims(search: {text}) {{ totalCount }} }}",
        f"{{ node(id: {text}) {{ id }} }}",
        '{ claims(search: "unterminated) { totalCount } }',
        '{ claims(search: "\\uD800\\uDFFF\\u0000\\x") { totalCount } }',
        '{ claims(search: """block \\""" string""") { totalCount } }',
        "{ claims(search: \"\ud800\x00\") { totalCount } }",
        "\x00{ __typename }",
        "\ufeff{ __typename }",
        "# only a comment",
        "",
        " ",
        "mutation { __typename }",
        "subscription { claims { totalCount } }",
        "query A { __typename } query A { __typename }",
        "query { __typename } query { __typename }",
        "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }",
        "{ __type(name: \"\ud800\") { name } }",
        f"{{ compareSources(a: {an_id}, b: {an_id}) {{ shared(first: -1) {{ totalCount }} }} }}",
        "{ claims(first: 100) { edges { node { attributions(first: 100) { edges { node { "
        "source { attributions(first: 100) { edges { node { id } } } } } } } } } } }",
        "{ claims @skip(if: true) @skip(if: false) @nope { totalCount } }",
        "{ claims { totalCount @include(if: \"yes\") } }",
        "directive @x on FIELD { __typename }",
        "type Query { evil: String } { __typename }",
    ]
    return draw(st.sampled_from(shapes))


@dataclass
class RawRequest:
    """A request as bytes on the wire, and how many GraphQL operations it carries."""

    method: str
    headers: dict[str, str | bytes]
    content: bytes = b""
    params: dict[str, str] = field(default_factory=dict)
    operations: int = 1


MALFORMED_BODIES = (
    b"", b"{", b"}", b"null", b"[]", b"[1, 2]", b'"x"', b"123", b"true", b"NaN",
    b'{"query": 1}', b'{"query": null}', b'{"query": ["{ __typename }"]}', b'{"query": {}}',
    b'{"query": "{ __typename }", "variables": "x"}',
    b'{"query": "{ __typename }", "variables": [1]}',
    b'{"query": "{ __typename }", "variables": 1e999}',
    b'{"query": "{ __typename }", "operationName": 5}',
    b'{"query": "{ __typename }", "operationName": "Nope"}',
    b'{"query": "{ __typename }", "extensions": "x"}',
    b'{"query": "{ __typename }", "query": "mutation { __typename }"}',
    b'{"query": "query($n: Int) { claims(first: $n) { totalCount } }", "variables": {"n": NaN}}',
    b'{"query": "query($n: Int) { claims(first: $n) { totalCount } }", "variables": {"n": 1e999}}',
    b'{"query": "query($n: Float) { __typename }", "variables": {"n": -Infinity}}',
    b'{"query": "{ claims(search: \\"\\ud800\\") { totalCount } }"}',
    b'{"query": "{ __typename }\\u0000"}',
    b"\xff\xfe{\x00}\x00",
    b'{"query": "{ __typename \xff }"}',
    b"\xef\xbb\xbf{\"query\": \"{ __typename }\"}",
    b'{"query": "{ __typename }"} trailing',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"query": "{ __typename }", "variables": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001,
    b'{"query": "' + b"{" * 20_000 + b'"}',
)
CONTENT_TYPES = (
    "application/json", "application/json; charset=utf-8", "application/json; charset=latin-1",
    "application/graphql", "application/graphql+json", "text/plain", "text/html",
    "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x",
    "", "*/*", "application/json\x7f",
)
ACCEPTS = (
    "application/json", "application/graphql-response+json", "*/*", "text/html", "",
    "application/graphql-response+json;q=NaN", "application/json;q=1e999, */*;q=-1",
    "application/graphql-response+json;q=0.9;q=x, application/json;q=0.8", ";;;,,,",
)
AUTHORIZATIONS = (
    None, "", "Bearer", "Bearer ", "Bearer x", "Basic dXNlcjpwYXNz", "bearer " + "A" * 10_000,
    "Bearer ' OR '1'='1", "Bearer \x7f", "Token abc", "Bearer a b c",
)

# Header values go out as bytes when they are not ASCII (httpx would refuse the str).
IDEMPOTENCY_KEYS = (None, None, None, "fuzz-1", "fuzz-2", "", " ", "k" * 301, "\x7f", b"\xc3\xa9",
                    b"\xff")


def _json(value: Any) -> bytes:
    # allow_nan: Python writes NaN and Infinity, which are not JSON; a server must cope.
    return json.dumps(value, allow_nan=True).encode()


def _payload(request: Request) -> dict[str, Any]:
    return {"query": request.document, "variables": request.variables}


@st.composite
def raw_requests(draw: st.DrawFn) -> RawRequest:
    headers: dict[str, str | bytes] = {"content-type": draw(st.sampled_from(CONTENT_TYPES)),
               "accept": draw(st.sampled_from(ACCEPTS))}
    authorization = draw(st.sampled_from(AUTHORIZATIONS))
    if authorization is not None:
        headers["authorization"] = authorization
    idempotency_key = draw(st.sampled_from(IDEMPOTENCY_KEYS))
    if idempotency_key is not None:
        headers["idempotency-key"] = idempotency_key
    kind = draw(st.sampled_from(["malformed", "batch", "get", "method", "document", "raw"]))
    if kind == "malformed":
        return RawRequest("POST", headers, draw(st.sampled_from(MALFORMED_BODIES)))
    if kind == "batch":
        operations = draw(st.lists(requests(draw(st.sampled_from(["query", "mutation"]))),
                                   min_size=1, max_size=8))
        body = _json([_payload(r) for r in operations])
        return RawRequest("POST", headers, body, operations=len(operations))
    if kind == "get":
        request = draw(requests(draw(st.sampled_from(["query", "mutation"]))))
        params = {"query": request.document,
                  "variables": draw(st.sampled_from([json.dumps(request.variables), "{", "[]",
                                                     "null", "NaN", "%7B"]))}
        if draw(st.booleans()):
            params["operationName"] = draw(st.sampled_from(["Fuzz", "Nope", ""]))
        if len(urlencode(params, encoding="utf-8", errors="replace")) > 8_192:
            # URLs have limits of their own (httpx: 64 KiB): long requests are POSTed.
            return RawRequest("POST", headers, _json(_payload(request)))
        return RawRequest("GET", headers, params=params)
    if kind == "method":
        method = draw(st.sampled_from(["PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"]))
        return RawRequest(method, headers, _json({"query": "{ __typename }"}))
    if kind == "document":
        body = _json({"query": draw(hostile_documents())})
        return RawRequest("POST", headers, body)
    request = draw(requests(draw(st.sampled_from(["query", "mutation"]))))
    return RawRequest("POST", headers, request.document.encode("utf-8", "surrogatepass"))
