"""Reading a request's body ahead of the app, and handing it on as if never read.

The fast path (api/web/graphql_view.py) and the Idempotency-Key gate
(api/web/idempotency_gate.py) both need the whole body before they decide; whatever
they pass the request on to reads it again from `replay`.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Message, Receive


@dataclass(frozen=True)
class BufferedBody:
    """The request's messages as received: its body, and a disconnect if the client left."""

    messages: list[Message]

    @property
    def complete(self) -> bool:
        """Whether the whole body arrived (else the client left before it ended)."""
        last = self.messages[-1] if self.messages else None
        return (
            last is not None and last["type"] == "http.request" and not last.get("more_body", False)
        )

    @property
    def body(self) -> bytes | None:
        """The whole body, or None when the client left before it ended."""
        return self.received if self.complete else None

    @property
    def received(self) -> bytes:
        """The body's bytes that arrived (all of them when `complete`)."""
        requests = (m for m in self.messages if m["type"] == "http.request")
        return b"".join(m.get("body", b"") for m in requests)

    def replay(self, receive: Receive) -> Receive:
        """`receive` for the app behind: the messages already read, then the live ones."""
        pending = list(self.messages)

        async def replay() -> Message:
            return pending.pop(0) if pending else await receive()

        return replay


async def read_body(receive: Receive) -> BufferedBody:
    """Every message up to the body's end, or up to the client leaving."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return BufferedBody(messages)
