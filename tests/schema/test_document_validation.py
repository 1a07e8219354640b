"""Validation off the event loop, and the repeated-field limit that keeps it linear."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from graphql import parse

from schema.document_validation import MAX_REPEATED_FIELDS, repeated_field

REPEATED = "{ " + "claims { totalCount } " * (MAX_REPEATED_FIELDS + 1) + "}"
ALLOWED = "{ " + "claims { totalCount } " * MAX_REPEATED_FIELDS + "}"


def fan_out(levels: int) -> str:
    fragments = ["fragment F0 on Query { claims(first: 1) { totalCount } }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels)]
    return f"query {{ ...F{levels - 1} }} " + " ".join(fragments)


def test_a_name_selected_once_too_often_is_found() -> None:
    # given / when
    error = repeated_field(parse(REPEATED))

    # then
    assert error is not None
    assert error.extensions == {"code": "TOO_MANY_REPEATED_FIELDS", "limit": MAX_REPEATED_FIELDS}
    assert f"'claims' {MAX_REPEATED_FIELDS + 1} times" in error.message


def test_the_limit_itself_is_allowed() -> None:
    assert repeated_field(parse(ALLOWED)) is None


def test_fragments_count_where_they_are_spread() -> None:
    # given: each fragment selects `claims` once, and all are spread in one selection set
    count = MAX_REPEATED_FIELDS + 1
    fragments = " ".join(
        f"fragment F{i} on Query {{ claims {{ totalCount }} }}" for i in range(count)
    )
    spreads = " ".join(f"...F{i}" for i in range(count))

    # when
    error = repeated_field(parse(f"{{ {spreads} }} {fragments}"))

    # then
    assert error is not None and "'claims'" in error.message


def test_fragment_fan_out_is_counted_without_expanding_it() -> None:
    # given: 2**24 selections of `claims` through 24 levels of doubling fragments
    document = parse(fan_out(25))

    # when: counting visits each fragment once, so this returns at once
    error = repeated_field(document)

    # then
    assert error is not None and error.extensions is not None
    assert error.extensions["code"] == "TOO_MANY_REPEATED_FIELDS"


def test_fragment_cycles_and_unknown_fragments_are_left_to_validation() -> None:
    cycle = "fragment A on Query { ...B claims { totalCount } } fragment B on Query { ...A }"
    assert repeated_field(parse(f"{{ ...A }} {cycle}")) is None
    assert repeated_field(parse("{ ...Nowhere }")) is None


def test_aliases_are_separate_names() -> None:
    aliased = " ".join(f"a{i}: claims {{ totalCount }}" for i in range(MAX_REPEATED_FIELDS + 5))
    assert repeated_field(parse(f"{{ {aliased} }}")) is None


async def test_a_refused_document_is_a_coded_request_error(http: httpx.AsyncClient) -> None:
    # when
    response = await http.post("/graphql", json={"query": REPEATED})

    # then
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_REPEATED_FIELDS"


async def test_validation_runs_off_the_event_loop(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a record of the thread each validation runs in
    import schema.document_validation as validation

    threads: list[str] = []
    real = validation.validate_document

    def recorded(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(validation, "validate_document", recorded)
    query = "{ sources(first: 3) { totalCount } } # off the loop"

    # when: the same document twice
    first = await http.post("/graphql", json={"query": query})
    second = await http.post("/graphql", json={"query": query})

    # then: validated once, in a validation thread; the second answer came from the cache
    assert first.json() == second.json() == {"data": {"sources": {"totalCount": 0}}}
    assert len(threads) == 1
    assert threads[0].startswith("claimgraph-validate")
    assert threads[0] != threading.main_thread().name
