"""A claim's provenance as a W3C PROV document (PROV-JSON, and PROV-O as JSON-LD).

Built with the `prov` package, so the output is what PROV tools read:

- sources are agents (prov:Person or prov:Organization), with actedOnBehalfOf
  their affiliation (Jack Watling on behalf of RUSI);
- the claim is an entity; each current attribution is an entity that is a
  specializationOf the claim (the claim as one source reports it),
  wasAttributedTo its source and wasQuotedFrom its document (wasDerivedFrom when
  it has no quote), carrying stance, confidence, hedges, offsets and quantity;
- along the chain each cited source's report is an entity of its own: the
  attribution wasDerivedFrom the first one it cites, each from the next, and
  hadPrimarySource the origin's (Kyodo's report derives from unnamed sources');
- documents are entities, wasAttributedTo their publisher and wasGeneratedBy at
  their publication time.
"""

from __future__ import annotations

import asyncio
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prov.constants import PROV, PROV_LABEL, PROV_TYPE, PROV_VALUE
from prov.model import ProvDocument, QualifiedName

from api.interchange.current import ClaimProvenance, claim_provenance
from api.repository import Executor

NAMESPACE = "urn:claimgraph:"
PREFIX = "cg"


class _Builder:
    def __init__(self, found: ClaimProvenance) -> None:
        self.found = found
        self.document = ProvDocument()
        self.cg = self.document.add_namespace(PREFIX, NAMESPACE)

    def name(self, kind: str, pk: int, *suffix: object) -> QualifiedName:
        return self.cg["-".join([kind, str(pk), *map(str, suffix)])]

    def build(self) -> ProvDocument:
        for source in self.found.sources.values():
            self.agent(source)
        for document in self.found.documents.values():
            self.publication(document)
        claim = self.found.claim
        claim_id = self.name("claim", claim["id"])
        attributes: dict[Any, Any] = {
            PROV_TYPE: self.cg["Claim"],
            PROV_VALUE: claim["statement"],
            self.cg["language"]: claim["language"],
        }
        self.document.entity(claim_id, attributes)
        for report in self.found.reports:
            self.report(report.row, report.chain, claim_id)
        return self.document

    def agent(self, source: Any) -> None:
        kind = "Person" if source["kind"] == "PERSON" else "Organization"
        attributes: list[tuple[Any, Any]] = [
            (PROV_TYPE, PROV[kind]),
            (PROV_LABEL, source["name"]),
            (self.cg["kind"], source["kind"]),
        ]
        if source["reliability"] is not None:
            attributes.append((self.cg["reliability"], source["reliability"]))
        agent = self.name("source", source["id"])
        self.document.agent(agent, attributes)
        if source["affiliation_id"] is not None:
            self.document.actedOnBehalfOf(agent, self.name("source", source["affiliation_id"]))

    def publication(self, row: Any) -> None:
        attributes: dict[Any, Any] = {
            PROV_TYPE: self.cg["Document"],
            PROV_LABEL: row["title"],
            self.cg["language"]: row["language"],
        }
        if row["url"] is not None:
            attributes[self.cg["url"]] = row["url"]
        entity = self.name("document", row["id"])
        self.document.entity(entity, attributes)
        if row["published_at"] is not None:
            self.document.wasGeneratedBy(entity, None, row["published_at"])
        if row["publisher_id"] is not None:
            self.document.wasAttributedTo(entity, self.name("source", row["publisher_id"]))

    def report(self, row: Any, chain: list[tuple[str, int]], claim: QualifiedName) -> None:
        entity = self.name("attribution", row["id"])
        self.document.entity(entity, self.report_attributes(row))
        self.document.specializationOf(entity, claim)
        self.document.wasAttributedTo(entity, self.name("source", row["source_id"]))
        document = self.name("document", row["document_id"])
        if row["quote"] is not None:
            offsets: dict[Any, Any] = {
                self.cg["quoteStart"]: row["quote_start"],
                self.cg["quoteEnd"]: row["quote_end"],
            }
            self.document.wasQuotedFrom(entity, document, other_attributes=offsets)
        else:
            self.document.wasDerivedFrom(entity, document)
        cited = [source for role, source in chain if role == "VIA"]
        previous = entity
        for position, source in enumerate(cited):
            step = self.name("attribution", row["id"], "via", position)
            kind: dict[Any, Any] = {PROV_TYPE: self.cg["CitedReport"]}
            self.document.entity(step, kind)
            self.document.specializationOf(step, claim)
            self.document.wasAttributedTo(step, self.name("source", source))
            self.document.wasDerivedFrom(previous, step)
            previous = step
        if cited:
            self.document.hadPrimarySource(entity, previous)

    def report_attributes(self, row: Any) -> list[tuple[Any, Any]]:
        cg = self.cg
        attributes: list[tuple[Any, Any]] = [
            (PROV_TYPE, cg["Attribution"]),
            (cg["stance"], row["stance"]),
            (cg["confidence"], float(row["confidence"])),
            (cg["reviewStatus"], row["review_status"]),
        ]
        attributes += [(cg["hedge"], hedge) for hedge in row["hedges"]]
        if row["quote"] is not None:
            attributes.append((PROV_VALUE, row["quote"]))
        if row["reported_at"] is not None:
            attributes.append((cg["reportedAt"], row["reported_at"]))
        if row["quantity_value"] is not None:
            attributes.append((cg["quantityValue"], float(row["quantity_value"])))
            attributes.append((cg["quantityBound"], row["quantity_bound"]))
            if row["quantity_unit"] is not None:
                attributes.append((cg["quantityUnit"], row["quantity_unit"]))
        return attributes


def prov_document(found: ClaimProvenance) -> ProvDocument:
    return _Builder(found).build()


async def export_prov(
    db: Executor, claim_id: int, *, include_suggested: bool = True
) -> ProvDocument | None:
    """The PROV document of a claim's current provenance, or None when there is no claim."""
    found = await claim_provenance(db, claim_id, include_suggested=include_suggested)
    # Building and serialising with prov and rdflib is pure Python: about 100 ms for a claim
    # with a few dozen attributions, time in which the event loop would answer nobody.
    return None if found is None else await asyncio.to_thread(prov_document, found)


async def serialized(document: ProvDocument, *, rdf: bool) -> str:
    """PROV-O as JSON-LD (`rdf`) or PROV-JSON, serialised in a worker thread."""
    return await asyncio.to_thread(prov_jsonld if rdf else prov_json, document)


def prov_json(document: ProvDocument) -> str:
    """PROV-JSON (W3C member submission), as the `prov` package writes it."""
    text = document.serialize(format="json")
    assert text is not None
    return text


def prov_jsonld(document: ProvDocument) -> str:
    """PROV-O in JSON-LD, through the `prov` package's RDF serializer (needs rdflib)."""
    with _QUIET, rdflib_quiet():
        text = document.serialize(format="rdf", rdf_format="json-ld")
    assert text is not None
    return text


# Warning filters are global to the process: serialisations in two threads at once would
# restore each other's filters out of order, so they take turns.
_QUIET = threading.Lock()


@contextmanager
def rdflib_quiet() -> Iterator[None]:
    """prov 2.5 builds a ConjunctiveGraph, which rdflib 7.1+ deprecates (and says so)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="ConjunctiveGraph is deprecated", category=DeprecationWarning
        )
        yield
