"""What a change is: the kinds of the live contract (`ChangeKind`)."""

from __future__ import annotations

from enum import StrEnum


class ChangeKind(StrEnum):
    """One kind per row of `change`; the table's CHECK lists the same names."""

    ATTRIBUTION_ADDED = "ATTRIBUTION_ADDED"
    ATTRIBUTION_UPDATED = "ATTRIBUTION_UPDATED"
    ATTRIBUTION_REVIEWED = "ATTRIBUTION_REVIEWED"
    ATTRIBUTION_RETRACTED = "ATTRIBUTION_RETRACTED"
    CLAIM_UPDATED = "CLAIM_UPDATED"
    CLAIM_MERGED = "CLAIM_MERGED"
    # The claim became contested by this change: it was not contested before it.
    CLAIM_CONTESTED = "CLAIM_CONTESTED"
    SOURCE_UPDATED = "SOURCE_UPDATED"
