"""Which language a text is written in, when the client does not say."""

from __future__ import annotations

from functools import lru_cache

import py3langid

# A few hundred characters decide the language; classifying a 2 MB text whole is waste.
SAMPLE = 5_000


@lru_cache(maxsize=1)
def _warm() -> None:
    """The model loads on first use (about a second); do it once per process."""
    py3langid.classify("warm up")


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language (py3langid, trained on 97 languages)."""
    _warm()
    code, _ = py3langid.classify(text[:SAMPLE])
    return str(code)
