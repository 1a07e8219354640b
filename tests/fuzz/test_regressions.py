"""Inputs the fuzzer found answered with 500, pinned down: each is now a 400 that writes
nothing.

Strawberry's view decoded every request body with `json.loads` and turned only
JSONDecodeError into a 400: a body that is valid JSON but no object (`null`, `1`, `"x"`)
crashed on `.get`, bytes that are not UTF-8 raised UnicodeDecodeError, and arrays nested
past the decoder's recursion raised RecursionError; so did the Idempotency-Key gate,
which decodes the body to fingerprint the request (api/web/request_json.py
`decode_request_json`, api/web/idempotency_gate.py).
"""

from __future__ import annotations

import json

import pytest

from tests.fuzz.harness import Fuzz, check_response

DEEP_ARRAY = b"[" * 100_000 + b"]" * 100_000
CREATE_CLAIM = b'{"query": "mutation { createClaim(input: {statement: \\"S\xff\\", language: \\"de\\"}) { errors { code } } }"}'  # noqa: E501

BODIES = {
    "null": (b"null", "must be a JSON object"),
    "number": (b"123", "must be a JSON object"),
    "string": (b'"x"', "must be a JSON object"),
    "boolean": (b"true", "must be a JSON object"),
    "NaN": (b"NaN", "not a JSON number"),
    "deep array": (DEEP_ARRAY, "nested too deeply"),
    "deep variables": (
        b'{"query": "{ __typename }", "variables": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001,
        "nested too deeply",
    ),
    "not UTF-8": (CREATE_CLAIM, "not valid UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BODIES))
@pytest.mark.parametrize("idempotency_key", [None, "regression-1"])
async def test_bodies_that_crashed_the_view_are_400(
    fuzz: Fuzz, name: str, idempotency_key: str | None
) -> None:
    # given a body that is not a GraphQL request object, and the stored data
    body, reason = BODIES[name]
    headers = {"content-type": "application/json"}
    if idempotency_key:
        headers["idempotency-key"] = f"{idempotency_key}-{name}"
    before = await fuzz.fingerprint(idempotency=False)

    # when it is posted
    response = await fuzz.http.post("/graphql", content=body, headers=headers)

    # then it is refused with a reason, and nothing was written
    assert response.status_code == 400, response.text
    assert reason in response.text
    check_response(response)
    assert await fuzz.fingerprint(idempotency=False) == before


async def test_deeply_nested_get_variables_are_400(fuzz: Fuzz) -> None:
    # given variables nested past the JSON decoder's recursion, in a GET request
    params = {"query": "{ __typename }", "variables": "[" * 15_000}

    # when it is sent
    response = await fuzz.http.get("/graphql", params=params)

    # then it is refused with a reason
    assert response.status_code == 400, response.text
    assert "nested too deeply" in response.text


async def test_null_get_variables_still_mean_none(fuzz: Fuzz) -> None:
    # given a GET request whose variables parameter is the JSON null
    params = {"query": "{ __typename }", "variables": "null"}

    # when it is sent
    response = await fuzz.http.get("/graphql", params=params)

    # then it runs as without variables
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__typename": "Query"}}


UNKNOWN_FRAGMENTS = [
    "{ ...Nope }",
    "{ claims { edges { node { ...Nope } } } }",
    "{ ...A } fragment A on Query { sources { totalCount } ...Missing }",
]


@pytest.mark.parametrize("document", UNKNOWN_FRAGMENTS)
async def test_a_spread_of_an_unknown_fragment_is_a_validation_error(
    fuzz: Fuzz, document: str
) -> None:
    # given a document spreading a fragment it does not define (the depth limiter looked
    # it up unchecked: KeyError, a masked internal error)
    headers = {"accept": "application/graphql-response+json"}

    # when it is posted
    response = await fuzz.http.post("/graphql", json={"query": document}, headers=headers)

    # then it is refused as invalid, saying why
    assert response.status_code == 400, response.text
    check_response(response)
    assert "Unknown fragment" in response.json()["errors"][0]["message"]


async def test_an_answer_echoing_a_lone_surrogate_is_still_json(fuzz: Fuzz) -> None:
    # given: a clientMutationId with a lone surrogate, which the payload echoes
    query = (
        'mutation($c: String) { createClaim(input: {statement: "x", language: "de",'
        " clientMutationId: $c}) { clientMutationId errors { code } } }"
    )
    body = json.dumps({"query": query, "variables": {"c": "\ud800"}})  # escapes it
    # when
    response = await fuzz.http.post(
        "/graphql", content=body.encode(), headers={"content-type": "application/json"}
    )
    # then: the answer is JSON, the surrogate escaped, and the id refused
    assert response.status_code == 200
    assert '"clientMutationId":"\\ud800"' in response.text.replace(" ", "")
    payload = response.json()["data"]["createClaim"]
    assert payload["errors"] == [{"code": "INVALID"}]
