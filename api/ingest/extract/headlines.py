"""Who speaks in a headline of the form "Speaker: claim" ("Scholz: Keine Taurus-Lieferung").

Why a rule of its own: the kicker before the colon is usually a topic ("Kim Jong Un in
Russland:"), which is no claim, but when it is nothing but a name it is the speaker. The
kicker must be the name and nothing else, so that "Kim Jong Un in Russland" stays a topic.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from api.ingest.extract.attribution import Attribution
from api.ingest.extract.gazetteer import canonical
from api.ingest.extract.mentions import NP, resolve
from api.ingest.extract.named_sources import Context

_KICKER: Final = re.compile(r"([^:\n]{2,60}):\s+\S")
_ARTICLE: Final = re.compile(r"(?:der|die|das|the)\s+", re.IGNORECASE)


def speaker_kicker(
    text: str, start: int, end: int, language: str, ctx: Context, att: Attribution
) -> Attribution:
    """``att`` with the kicker's speaker as its source, when the kicker is only a name."""
    m = _KICKER.match(text, start, end)
    if m is None:
        return att
    kicker_start, kicker_end = m.start(1), m.end(1)
    article = _ARTICLE.match(text, kicker_start, kicker_end)
    name_start = article.end() if article else kicker_start
    found = resolve(text, kicker_start, kicker_end, language, ctx, NP)
    if found is None or found.anaphoric or found.start is None or found.end is None:
        return att
    if " " not in found.name and canonical(found.name) is None:
        return att  # a lone unknown word ("Unwetter:") is a topic, not a speaker
    if found.start > name_start or found.end < kicker_end:
        return att
    ctx.remember(found)
    return replace(att, source=found, cue=":")
