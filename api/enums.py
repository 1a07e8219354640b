"""The closed vocabularies of the domain, shared by the database checks and the API."""

from __future__ import annotations

import enum


class SourceKind(enum.StrEnum):
    NEWS_AGENCY = "NEWS_AGENCY"
    NEWS_OUTLET = "NEWS_OUTLET"
    GOVERNMENT = "GOVERNMENT"
    PERSON = "PERSON"
    THINK_TANK = "THINK_TANK"
    INTELLIGENCE = "INTELLIGENCE"
    ANONYMOUS = "ANONYMOUS"
    PHOTO_AGENCY = "PHOTO_AGENCY"
    OTHER = "OTHER"


class SourceReliability(enum.StrEnum):
    """NATO Admiralty scale, A (completely reliable) to F (cannot be judged)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class Stance(enum.StrEnum):
    AFFIRMS = "AFFIRMS"
    DENIES = "DENIES"


class QuantityBound(enum.StrEnum):
    EXACT = "EXACT"
    APPROXIMATE = "APPROXIMATE"
    AT_MOST = "AT_MOST"
    AT_LEAST = "AT_LEAST"


class ChainRole(enum.StrEnum):
    """Where a source stands in an attribution's chain."""

    PUBLISHER = "PUBLISHER"
    SOURCE = "SOURCE"
    VIA = "VIA"


def sql_in(enum_type: type[enum.StrEnum]) -> str:
    """`'A', 'B'` for a CHECK constraint that mirrors the Python enum."""
    return ", ".join(f"'{member.value}'" for member in enum_type)


class Method(enum.StrEnum):
    """How an attribution was made."""

    CURATED = "CURATED"
    EXTRACTED = "EXTRACTED"


class ReviewStatus(enum.StrEnum):
    """Where an attribution stands with the editors; machine-made ones start as SUGGESTED."""

    SUGGESTED = "SUGGESTED"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    # Withdrawn by an editor after the fact (with a reason); counted nowhere, like REJECTED.
    RETRACTED = "RETRACTED"

    @classmethod
    def ignored(cls) -> tuple[ReviewStatus, ...]:
        """The statuses that leave every comparison, count, search and summary."""
        return (cls.REJECTED, cls.RETRACTED)


class Operation(enum.StrEnum):
    """What one revision of a node did."""

    CREATE = "CREATE"
    UPDATE = "UPDATE"
    REVIEW = "REVIEW"
    RETRACT = "RETRACT"
    MERGE = "MERGE"
    # An admin's hard retraction removed the node; DELETE: removed by any other means.
    HARD_RETRACT = "HARD_RETRACT"
    DELETE = "DELETE"


# The optional fields an update may clear (set to null), by their API names.
class SourceField(enum.StrEnum):
    AFFILIATION_ID = "affiliationId"
    RELIABILITY = "reliability"


class DocumentField(enum.StrEnum):
    URL = "url"
    PUBLISHED_AT = "publishedAt"
    PUBLISHER_ID = "publisherId"


class AttributionField(enum.StrEnum):
    REPORTED_AT = "reportedAt"
    QUANTITY = "quantity"
