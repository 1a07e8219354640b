"""Every table, imported in one place so that metadata is complete (Alembic, tests)."""

from api.auth.models import ApiKey
from api.claims.models import Claim
from api.db import Base
from api.documents.models import Document
from api.idempotency.models import IdempotencyKey
from api.provenance.models import Attribution, ChainLink
from api.provenance.summary import ClaimSearch, SourceClaim, search_word
from api.revisions.models import Revision
from api.sources.models import Source

__all__ = [
    "ApiKey",
    "Attribution",
    "Base",
    "ChainLink",
    "Claim",
    "ClaimSearch",
    "Document",
    "IdempotencyKey",
    "Revision",
    "Source",
    "SourceClaim",
    "search_word",
]
