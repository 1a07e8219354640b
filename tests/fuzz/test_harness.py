"""The fuzzer's judgement of "rejected": when it says a mutation wrote nothing, it must."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fuzz.harness import rejected

REFUSED = {"errors": [{"message": "bad", "code": "INVALID"}]}
WROTE: dict[str, list[Any]] = {"errors": []}
NESTED_FAILURE = {"message": "after is not a cursor", "path": ["r0", "createdSources", 0, "a"]}

CASES: dict[str, tuple[Any, list[str], bool | None]] = {
    "parse error": ({"errors": [{"message": "Syntax Error"}]}, ["r0"], True),
    "payload errors": ({"data": {"r0": REFUSED}}, ["r0"], True),
    "accepted": ({"data": {"r0": WROTE}}, ["r0"], False),
    "one of two accepted": ({"data": {"r0": REFUSED, "r1": WROTE}}, ["r0", "r1"], False),
    "root field raised": (
        {"data": None, "errors": [{"message": "x", "path": ["r0"]}]}, ["r0"], True,
    ),
    # the mutation ran; a field of its payload failed and nulled all the data
    "nested failure after the write": ({"data": None, "errors": [NESTED_FAILURE]}, ["r0"], None),
    "payload nulled by a nested failure": (
        {"data": {"r0": None}, "errors": [NESTED_FAILURE]}, ["r0"], None,
    ),
    "errors not selected": ({"data": {"r0": {"claim": None}}}, ["r0"], None),
    "skipped by @include": ({"data": {}}, ["r0"], None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rejected_only_when_nothing_can_have_been_written(name: str) -> None:
    # given a response to a mutation with these root fields
    body, fields, expected = CASES[name]

    # when the fuzzer judges it / then it says rejected only when every root field was
    assert rejected(body, fields) is expected
