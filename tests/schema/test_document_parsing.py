"""A long document is parsed in a worker thread, and each text is parsed once."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

import schema.document_validation as document_validation
from schema.document_validation import OFF_LOOP_CHARS


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    threads: list[str] = []
    real = document_validation.parse

    def recorded(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(document_validation, "parse", recorded)
    return threads


async def test_a_long_document_is_parsed_off_the_loop_once(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a document longer than OFF_LOOP_CHARS (a long comment is part of its text)
    threads = _recording(monkeypatch)
    query = "{ sources(first: 1) { totalCount } } # " + "p" * OFF_LOOP_CHARS

    # when: sent twice
    first = await http.post("/graphql", json={"query": query})
    second = await http.post("/graphql", json={"query": query})

    # then: parsed once, in a validation thread
    assert first.json() == second.json() == {"data": {"sources": {"totalCount": 0}}}
    assert len(threads) == 1
    assert threads[0].startswith("claimgraph-validate")


async def test_a_short_document_is_parsed_on_the_loop(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = _recording(monkeypatch)
    response = await http.post("/graphql", json={"query": "{ documents(first: 1) { totalCount } }"})
    assert response.json() == {"data": {"documents": {"totalCount": 0}}}
    assert threads == [threading.main_thread().name]


async def test_a_syntax_error_in_a_long_document_is_a_request_error(
    http: httpx.AsyncClient,
) -> None:
    # given
    query = "{ sources(first: 1) { totalCount } # " + "q" * OFF_LOOP_CHARS

    # when
    response = await http.post("/graphql", json={"query": query})

    # then
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["message"].startswith("Syntax Error")
