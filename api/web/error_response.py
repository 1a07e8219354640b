"""An error answered by a middleware, in the body /graphql gives its errors."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Send


async def send_error(
    send: Send,
    status: int,
    message: str,
    code: str,
    extra_headers: list[tuple[bytes, bytes]],
    extensions: dict[str, Any] | None = None,
) -> None:
    error = {"message": message, "extensions": {"code": code, **(extensions or {})}}
    body = json.dumps({"errors": [error]}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra_headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
