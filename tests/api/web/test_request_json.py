"""api/web/request_json.py's decoder: exactly JSON, every refusal a 400 with a reason.

Python's json module reads NaN, Infinity and -Infinity, and turns 1e999 into inf; none
of them is JSON, and orjson writes each back as null, so a cache keyed by re-encoded
variables would take one for null (issue 12). The fast path's side of this is in
tests/schema/compiled/test_fast.py.
"""

from __future__ import annotations

import httpx
import pytest

from api.web.request_json import NotJSON, loads_json

NOT_JSON = ["NaN", "Infinity", "-Infinity", "1e999", "-1e400", "1" * 5_000, "[" * 100_000]


@pytest.mark.parametrize("number", NOT_JSON, ids=lambda n: n[:12])
def test_what_python_reads_but_json_is_not_is_refused(number: str) -> None:
    with pytest.raises(NotJSON):
        loads_json(f'{{"n": {number}}}'.encode())


def test_json_numbers_read_as_python_reads_them() -> None:
    body = b'{"n": [1, 1.5, -0.0, 1e-999, 1e308, 12345678901234567890]}'
    assert loads_json(body) == {"n": [1, 1.5, -0.0, 0.0, 1e308, 12345678901234567890]}


async def test_variables_in_a_get_are_held_to_json_too(http: httpx.AsyncClient) -> None:
    # given
    query = "query($n: Int) { claims(first: $n) { totalCount } }"
    # when
    refused = await http.get("/graphql", params={"query": query, "variables": '{"n": NaN}'})
    null = await http.get("/graphql", params={"query": query, "variables": '{"n": null}'})
    # then
    assert refused.status_code == 400
    assert "NaN, which is not a JSON number" in refused.text
    assert null.json() == {"data": {"claims": {"totalCount": 0}}}
