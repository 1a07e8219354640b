"""A long request body is decoded in a worker thread, not on the event loop."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

import api.web.graphql_view as graphql_view
import api.web.request_json as request_json
from api.web.request_json import OFF_LOOP_BYTES, loads_json_off_loop

ECHO = "query($x: String) { __typename sources(search: $x, first: 1) { totalCount } }"


def _recording(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[str]:
    """Replace module.name with a wrapper that notes the thread each call runs in."""
    threads: list[str] = []
    real = getattr(module, name)

    def recorded(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(module, name, recorded)
    return threads


async def test_a_long_body_is_decoded_off_the_loop_and_a_short_one_on_it(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    threads = _recording(monkeypatch, graphql_view, "decode_request_json")
    long_value = "x" * (OFF_LOOP_BYTES + 1)

    # when
    long = await http.post("/graphql", json={"query": ECHO, "variables": {"x": long_value}})
    short = await http.post("/graphql", json={"query": ECHO, "variables": {"x": "short"}})

    # then: both answered; the long body was decoded once, in a worker thread
    expected = {"data": {"__typename": "Query", "sources": {"totalCount": 0}}}
    assert long.json() == short.json() == expected
    main = threading.main_thread().name
    assert len(threads) == 2
    assert threads[0] != main
    assert threads[1] == main


async def test_a_long_body_that_is_not_json_is_still_a_400(http: httpx.AsyncClient) -> None:
    # given: NaN, past the size decoded in a thread
    body = b'{"query": "{ __typename }", "variables": {"n": NaN, "pad": "' + b"x" * OFF_LOOP_BYTES
    body += b'"}}'

    # when
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    # then
    assert response.status_code == 400
    assert "NaN" in response.text


async def test_the_off_loop_decoder_uses_a_thread_only_past_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    threads = _recording(monkeypatch, request_json, "loads_json")

    # when
    small = await loads_json_off_loop(b'{"a": 1}')
    large = await loads_json_off_loop(b'{"a": "' + b"y" * OFF_LOOP_BYTES + b'"}')

    # then
    assert small == {"a": 1}
    assert isinstance(large, dict) and len(large["a"]) == OFF_LOOP_BYTES
    assert threads[0] == threading.main_thread().name
    assert threads[1] != threading.main_thread().name
