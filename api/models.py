"""Every table, imported in one place so that metadata is complete (Alembic, tests).

Only what needs the whole metadata imports this module (migrations/env.py, the tests of
migrations); the domain imports its own models and `Base` from api.db, so no package
imports back into this aggregator (a contract in pyproject.toml says so).
"""

from api.auth.models import ApiKey
from api.claims.models import Claim
from api.claims.summary import ClaimSearch, SourceClaim, search_word
from api.db import Base
from api.documents.models import Document
from api.idempotency.models import IdempotencyKey
from api.live.models import Change, ClaimContested
from api.live.webhooks.models import Webhook, WebhookCursor, WebhookDelivery
from api.provenance.models import Attribution, ChainLink
from api.revisions.models import Revision
from api.sources.models import Source

__all__ = [
    "ApiKey",
    "Attribution",
    "Base",
    "ChainLink",
    "Change",
    "Claim",
    "ClaimContested",
    "ClaimSearch",
    "Document",
    "IdempotencyKey",
    "Revision",
    "Source",
    "SourceClaim",
    "Webhook",
    "WebhookCursor",
    "WebhookDelivery",
    "search_word",
]
