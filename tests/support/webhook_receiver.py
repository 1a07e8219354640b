"""A webhook receiver on loopback: an http.server in a thread that records each POST.

It can be down (its port closed, so connections are refused, as when a receiver is
restarted), answer with another status, or hold requests until released. Tests wait
on what it received with a deadline, never with a sleep.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from api.embedded.network import free_port


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes

    def signed_with(self, secret: str, tolerance: float = 300) -> bool:
        """The check docs/live.md shows receivers: t within tolerance, v1 the HMAC."""
        parts = dict(p.split("=", 1) for p in self.headers["Claimgraph-Signature"].split(","))
        expected = hmac.new(
            secret.encode(), parts["t"].encode() + b"." + self.body, hashlib.sha256
        ).hexdigest()
        fresh = abs(time.time() - int(parts["t"])) <= tolerance
        return fresh and hmac.compare_digest(expected, parts["v1"])


class Receiver:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.status = 204
        self.received: list[Received] = []
        self.released = threading.Event()
        self.released.set()
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    def up(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with receiver._changed:
                    receiver.received.append(Received(dict(self.headers.items()), body))
                    receiver._changed.notify_all()
                receiver.released.wait(60)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(self, count: int, seconds: float = 20) -> list[Received]:
        """The first `count` requests, once received; fails after `seconds`."""
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self.received) >= count, seconds)
        assert arrived, f"{len(self.received)} of {count} deliveries arrived in {seconds} s"
        return self.received[:count]


@contextmanager
def receiving() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.up()
    try:
        yield receiver
    finally:
        receiver.released.set()
        receiver.down()
