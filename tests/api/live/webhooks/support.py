"""GraphQL documents and steps the webhook tests share."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Awaitable, Callable
from typing import Any

from tests import factories
from tests.support.app import GraphQLClient

CREATE_WEBHOOK = """
mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    webhook { id url kinds claimId sourceId search active createdAt failing lastError }
    secret
    clientMutationId
    errors { message field code }
  }
}"""

DELETE_WEBHOOK = """
mutation($id: ID!) {
  deleteWebhook(input: {id: $id}) { webhook { id url } errors { message field code } }
}"""

WEBHOOKS = """
{ webhooks { id url active failing failingSince lastError
             deliveries(first: 50) { id state attempts lastStatus lastError } } }"""


async def create_webhook(gql: GraphQLClient, url: str, **values: Any) -> tuple[str, str]:
    """A new webhook's id and secret."""
    payload = await factories.mutate(gql, CREATE_WEBHOOK, "createWebhook", url=url, **values)
    assert payload["errors"] == [], payload
    return payload["webhook"]["id"], payload["secret"]


async def report(
    gql: GraphQLClient, source_name: str = "KCNA", source: str | None = None
) -> dict[str, Any]:
    """A source (unless given), a document and a claim, and an attribution that ties
    them: its write's change is ATTRIBUTION_ADDED."""
    source = source or await factories.source(gql, source_name)
    document = await factories.document(gql, title=f"Report of {source_name}")
    claim = await factories.claim(gql, f"{source_name} says the invitation was accepted")
    return await factories.attribution(gql, claimId=claim, documentId=document, sourceId=source)


def pk_of(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 20) -> None:
    """Wait until `check` holds, polling; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, f"not within {seconds} s"
        await asyncio.sleep(0.05)
