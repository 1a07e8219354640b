"""The request's JSON: exactly JSON, one decoder for both paths to the schema."""

from __future__ import annotations

import asyncio
import json
import math

from cross_web import HTTPException

# Bodies longer than this are decoded in a worker thread: the decoder reads about
# 150 MB/s, so the 10 MiB a body may hold (an article to ingest) would keep the event
# loop from every other request for some 70 ms.
OFF_LOOP_BYTES = 64 * 1024


class NotJSON(ValueError):
    """A body or parameter that Python's decoder reads but that is not JSON; the message
    is for the client."""


def _no_constant(name: str) -> float:
    raise NotJSON(f"The JSON holds {name}, which is not a JSON number.")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise NotJSON("The JSON holds a number beyond the range of a double (like 1e999).")
    return number


def loads_json(data: str | bytes) -> object:
    """`json.loads` of exactly JSON, the one decoder of both paths to the schema (the
    GraphQL view's and the fast path's, api/web/fast_path.py).

    Python's decoder also reads NaN, Infinity and -Infinity and turns 1e999 into inf;
    orjson writes all of them as null, so a cache keyed by re-encoded values would take
    `{"n": NaN}` for `{"n": null}`. They are refused here (NotJSON), as are digits
    beyond what Python converts to an int, arrays nested deeper than the decoder
    recurses, and bytes that are not UTF-8. Malformed text raises JSONDecodeError.
    """
    try:
        return json.loads(data, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise NotJSON("The JSON is nested too deeply.") from None
    except (NotJSON, json.JSONDecodeError):
        raise
    except UnicodeDecodeError:
        raise NotJSON("The request body is not valid UTF-8.") from None
    except ValueError:  # int(): over sys.get_int_max_str_digits() digits
        raise NotJSON("The JSON holds a number with too many digits.") from None


def decode_request_json(data: str | bytes) -> object:
    """`loads_json` for the GraphQL view, with every client mistake a 400, never a 500.

    Strawberry answers a JSONDecodeError with 400 but lets everything else through: what
    `loads_json` refuses, and a body that is valid JSON but no object (`null`, `1`,
    `"x"`), on which it calls `.get`. A request body arrives as bytes; GET parameters
    (`variables`, `extensions`) as str, and those may be `null`.
    """
    try:
        value = loads_json(data)
    except NotJSON as refused:
        raise HTTPException(400, str(refused)) from None
    if isinstance(data, bytes) and not isinstance(value, (dict, list)):
        raise HTTPException(400, "The request body must be a JSON object.")
    return value


async def loads_json_off_loop(data: bytes) -> object:
    """`loads_json`, in a worker thread when `data` is longer than OFF_LOOP_BYTES."""
    if len(data) <= OFF_LOOP_BYTES:
        return loads_json(data)
    return await asyncio.to_thread(loads_json, data)
