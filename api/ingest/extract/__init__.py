"""Rule-based attribution extraction for German and English news text.

``extract(text, language)`` reads an article and returns every attribution it finds: the
claim (``statement``), the exact words (``quote`` with code-point offsets), who says it
(``source``; None for the article's own voice), through whom (``via``), how firmly
(``hedges``, ``confidence``), any quantity, and the stance. Pure Python and the standard
library: no model, no network, no database, linear in the length of the text.

See ``docs/extraction.md`` for the cue lexicon, the hedge table, the quantity rules, the
sentence splitter, the measured quality and the known limits.
"""

from __future__ import annotations

from typing import Final

from api.ingest.extract.hedges import HEDGE_TABLE, QUANTITY_HEDGES, HedgeCue, confidence_table
from api.ingest.extract.model import Extracted, Quantity, SourceMention
from api.ingest.extract.pipeline import extract

EXTRACTOR_VERSION: Final = "claimgraph-rules-1"

__all__ = [
    "EXTRACTOR_VERSION",
    "HEDGE_TABLE",
    "QUANTITY_HEDGES",
    "Extracted",
    "HedgeCue",
    "Quantity",
    "SourceMention",
    "confidence_table",
    "extract",
]
