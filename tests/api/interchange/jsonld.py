"""PyLD with the schema.org context served from a shipped file: no network in tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyld import jsonld  # type: ignore[import-untyped]

FIXTURES = Path(__file__).parents[2] / "fixtures" / "interchange"
SCHEMA_ORG_URLS = {
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
}


def local_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Serves schemaorg-context.jsonld for schema.org and refuses every other URL."""
    if url not in SCHEMA_ORG_URLS:
        raise jsonld.JsonLdError(f"no network in tests: {url}", "loading document failed")
    document = json.loads((FIXTURES / "schemaorg-context.jsonld").read_text())
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
    }


def expand(data: object) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(data, {"documentLoader": local_loader})
    return expanded
