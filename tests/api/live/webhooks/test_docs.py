"""docs/live.md's receiver checks real signatures: the block is run as it is written."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from api.live.webhooks.signing import signature

DOC = Path(__file__).resolve().parents[4] / "docs" / "live.md"
BODY = b'{"id":"7","kind":"ATTRIBUTION_ADDED","at":"2026-12-08T03:40:00+00:00"}'
SECRET = "s3cret-derived-for-the-test"

Verify = Callable[..., bool]


@pytest.fixture(scope="module")
def verify() -> Verify:
    found = re.search(r"<!-- webhook-receiver -->\n```python\n(.*?)\n```", DOC.read_text(), re.S)
    assert found, "docs/live.md has no webhook-receiver block"
    scope: dict[str, object] = {}
    exec(compile(found.group(1), str(DOC), "exec"), scope)
    function = scope["verify"]
    assert callable(function)
    return function  # type: ignore[return-value]


def test_the_documented_receiver_accepts_what_claimgraph_signs(verify: Verify) -> None:
    assert verify(SECRET, signature(SECRET, int(time.time()), BODY), BODY)


def test_it_refuses_another_secret_a_changed_body_and_a_stale_or_mangled_header(
    verify: Verify,
) -> None:
    now = int(time.time())
    header = signature(SECRET, now, BODY)
    assert not verify(SECRET + "x", header, BODY)
    assert not verify(SECRET, header, BODY.replace(b"7", b"8"))
    assert not verify(SECRET, signature(SECRET, now - 3600, BODY), BODY)
    assert not verify(SECRET, "garbage", BODY)
    assert not verify(SECRET, header.replace("t=", "t=x"), BODY)
