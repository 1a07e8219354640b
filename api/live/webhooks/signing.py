"""A delivery's body and its signature header, as receivers check them (docs/live.md)."""

from __future__ import annotations

import hashlib
import hmac
import json

from api.ids import encode_id
from api.live.changes import Change


def body(change: Change) -> str:
    """Compact JSON: these exact bytes are sent and signed."""
    return json.dumps(
        {
            "id": str(change.position),
            "kind": str(change.kind),
            "at": change.at.isoformat(),
            "claimId": _global("Claim", change.claim_id),
            "attributionId": _global("Attribution", change.attribution_id),
            "sourceId": _global("Source", change.source_id),
        },
        separators=(",", ":"),
    )


def _global(type_name: str, pk: int | None) -> str | None:
    return None if pk is None else encode_id(type_name, pk)


def signature(secret: str, timestamp: int, payload: bytes) -> str:
    """The Claimgraph-Signature header: t=<unix seconds>,v1=<hex HMAC-SHA256>."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
