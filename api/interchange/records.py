"""The records of a JSON Lines dump, read into the rows the importer stages.

One JSON object a line, with `type` Source, Document, Claim or Attribution (a
`Header` line is allowed and checked). Ids are the API's global ids. Each reader
checks what the database and the write services check, so that a bad record is
reported with its line instead of failing a whole batch; references to other
records are checked against the database when a batch is staged (staging.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from api.claims.models import MAX_STATEMENT_LENGTH
from api.documents.models import MAX_TEXT_LENGTH
from api.documents.service import text_sha256
from api.enums import (
    ChainRole,
    Method,
    QuantityBound,
    ReviewStatus,
    SourceKind,
    SourceReliability,
    Stance,
)
from api.interchange.ids import decode_known
from api.interchange.record_fields import Fields, RecordError
from api.provenance.service import MAX_VIA
from api.validation import MAX_NAME_LENGTH, MAX_SHORT_LENGTH, MAX_TITLE_LENGTH, MAX_URL_LENGTH

FORMAT = "claimgraph-jsonl"
FORMAT_VERSION = 1
TYPES = ("Source", "Document", "Claim", "Attribution")
Row = tuple[Any, ...]


def read_source(fields: Fields, pk: int) -> Row:
    name = fields.text("name", MAX_NAME_LENGTH)
    affiliation = fields.ref("affiliation", "Source", required=False)
    if affiliation == pk:
        raise RecordError("a source cannot be its own affiliation")
    reliability = fields.choice("reliability", SourceReliability, required=False)
    return (
        pk,
        name,
        fields.choice("kind", SourceKind),
        fields.strings("aliases", MAX_NAME_LENGTH),
        affiliation,
        reliability,
        fields.flag("stateAffiliated"),
        fields.time("createdAt", required=True),
    )


def read_document(fields: Fields, pk: int) -> Row:
    url = fields.text("url", MAX_URL_LENGTH, required=False)
    if url is not None and not url.startswith(("http://", "https://")):
        raise RecordError("url must be an absolute http(s) URL")
    body = fields.text("text", MAX_TEXT_LENGTH, required=False)
    return (
        pk,
        url,
        fields.text("title", MAX_TITLE_LENGTH),
        fields.language(),
        fields.time("publishedAt"),
        fields.ref("publisher", "Source", required=False),
        body,
        text_sha256(body) if body is not None else None,
        fields.time("createdAt", required=True),
    )


def read_claim(fields: Fields, pk: int) -> Row:
    merged_into = fields.ref("mergedInto", "Claim", required=False)
    if merged_into == pk:
        raise RecordError("a claim cannot be merged into itself")
    return (
        pk,
        fields.text("statement", MAX_STATEMENT_LENGTH),
        fields.language(),
        merged_into,
        fields.time("createdAt", required=True),
    )


def read_attribution(fields: Fields, pk: int) -> Row:
    source = fields.ref("source", "Source")
    assert source is not None
    confidence = fields.number(fields.record.get("confidence"), "confidence")
    if not 0.0 <= confidence <= 1.0:
        raise RecordError("confidence must be from 0 to 1")
    roles, sources = _chain(fields, source)
    return (
        pk,
        fields.ref("claim", "Claim"),
        fields.ref("document", "Document"),
        source,
        fields.choice("stance", Stance),
        confidence,
        fields.strings("hedges"),
        *_quote(fields),
        *_quantity(fields),
        fields.time("reportedAt"),
        *_review(fields),
        fields.time("createdAt", required=True),
        roles,
        sources,
    )


def _quote(fields: Fields) -> tuple[str | None, int | None, int | None]:
    quote = fields.record.get("quote")
    if quote is not None and not isinstance(quote, str):
        raise RecordError("quote must be a string")
    start, end = fields.integer("quoteStart"), fields.integer("quoteEnd")
    if (quote is None, start is None, end is None).count(True) not in (0, 3):
        raise RecordError("quote, quoteStart and quoteEnd go together")
    if start is not None and end is not None and (end < start or end - start != len(quote or "")):
        raise RecordError("quoteEnd - quoteStart must be the length of the quote")
    return quote, start, end


def _quantity(fields: Fields) -> tuple[float | None, str | None, str | None]:
    quantity = fields.record.get("quantity")
    if quantity is None:
        return None, None, None
    if not isinstance(quantity, dict):
        raise RecordError("quantity must be an object with value, unit and bound")
    inner = Fields(quantity)
    value = inner.number(quantity.get("value"), "quantity.value")
    bound = inner.choice("bound", QuantityBound)
    return value, inner.text("unit", MAX_SHORT_LENGTH, required=False), bound


def _review(
    fields: Fields,
) -> tuple[Method | None, str | None, ReviewStatus | None, datetime | None, str | None]:
    method = fields.choice("method", Method)
    extractor = fields.text("extractorVersion", MAX_SHORT_LENGTH, required=False)
    if (method is Method.EXTRACTED) != (extractor is not None):
        raise RecordError("extractorVersion is given exactly when method is EXTRACTED")
    status = fields.choice("reviewStatus", ReviewStatus)
    reason = fields.text("retractionReason", 2000, required=False)
    if (status is ReviewStatus.RETRACTED) != (reason is not None):
        raise RecordError("retractionReason is given exactly when reviewStatus is RETRACTED")
    return method, extractor, status, fields.time("reviewedAt"), reason


_ROLES = frozenset(role.value for role in ChainRole)
_VIA = ChainRole.VIA.value


def _link(link: object) -> tuple[str, int]:
    """(role, source id) of one chain link."""
    if type(link) is dict:
        # The common case without the Fields wrapper (links are most of a dump's refs).
        role, source = link.get("role"), link.get("source")
        if type(role) is str and role in _ROLES and type(source) is str:
            sid = decode_known(source, "Source")
            if sid is not None:
                return role, sid
    if not isinstance(link, dict):
        raise RecordError("each chain link must be an object with role and source")
    inner = Fields(link)
    checked = inner.choice("role", ChainRole)
    assert checked is not None
    known = inner.ref("source", "Source")
    assert known is not None
    return checked.value, known


def _chain(fields: Fields, source: int) -> tuple[list[str], list[int]]:
    """Publisher (unless it is the source), the source, then via: the stored chain."""
    links = fields.record.get("chain")
    if not isinstance(links, list) or not 1 <= len(links) <= MAX_VIA + 2:
        raise RecordError(f"chain must list 1 to {MAX_VIA + 2} links")
    roles: list[str] = []
    sources: list[int] = []
    for link in links:
        role, sid = _link(link)
        roles.append(role)
        sources.append(sid)
    at = 1 if roles[0] == ChainRole.PUBLISHER else 0
    shape_ok = (
        len(roles) > at
        and roles[at] == ChainRole.SOURCE
        and sources[at] == source
        and roles.count(_VIA) == len(roles) - at - 1  # all after the source are VIA
    )
    if not shape_ok:
        raise RecordError("chain must be [PUBLISHER,] SOURCE (the attribution's source), VIA...")
    if len(set(sources[at:])) != len(sources) - at:
        raise RecordError("a source stands twice among the source and its citations")
    return roles, sources


READERS: dict[str, Callable[[Fields, int], Row]] = {
    "Source": read_source,
    "Document": read_document,
    "Claim": read_claim,
    "Attribution": read_attribution,
}


def read_record(record: object) -> tuple[str, Row] | None:
    """(type, row) of one parsed line; None for the header; RecordError when it is bad."""
    if not isinstance(record, dict):
        raise RecordError("a line must be a JSON object")
    kind = record.get("type")
    if kind == "Header":
        if record.get("format") != FORMAT or record.get("version") != FORMAT_VERSION:
            raise RecordError(f"this reads {FORMAT} version {FORMAT_VERSION} only")
        return None
    if kind not in READERS:
        raise RecordError(f"type must be Header or one of {', '.join(TYPES)}, got {kind!r}")
    fields = Fields(record)
    pk = fields.ref("id", kind)
    assert pk is not None
    return kind, READERS[kind](fields, pk)
