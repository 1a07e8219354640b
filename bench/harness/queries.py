"""The three read queries of issue 6, written as a client would send them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.compare_search import COMPARE, SEARCH_PAGE
from bench.harness.data import Targets
from schema.ids import encode_id

# Q1: one claim with its attributions, each with its source and document.
Q1 = """query ClaimWithAttributions($id: ID!) {
  node(id: $id) {
    ... on Claim {
      id
      statement
      language
      createdAt
      attributions(first: 20) {
        edges {
          node {
            id
            stance
            confidence
            hedges
            quote
            reportedAt
            source { id name kind }
            document { id title url publishedAt }
          }
        }
      }
    }
  }
}"""

# Q2: the 50 newest claims, each with up to 10 attributions and their source.
Q2 = """query LatestClaims {
  claims(first: 50) {
    edges {
      node {
        id
        statement
        language
        createdAt
        attributions(first: 10) {
          edges {
            node {
              id
              stance
              confidence
              reportedAt
              source { id name kind }
            }
          }
        }
      }
    }
  }
}"""

# Q3: the first 50 claims two sources both reported, with the total.
Q3 = """query SharedClaims($a: ID!, $b: ID!) {
  compareSources(a: $a, b: $b) {
    shared(first: 50) {
      totalCount
      edges {
        node {
          agrees
          claim { id statement createdAt }
        }
      }
    }
  }
}"""


# Issue 3's comparison and search, as bench/compare_search.py sends them in-process.
# The reference has no twin of them (search tiers and misspellings are no one-liner), so
# they are measured on claimgraph alone and checked only for errors and data.
C1 = COMPARE
S1 = SEARCH_PAGE


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    document: str
    variables: dict[str, Any]
    # False: claimgraph only (no reference statement answers it).
    referenced: bool = True

    def body(self) -> dict[str, Any]:
        return {"query": self.document, "variables": self.variables}


def queries(targets: Targets) -> dict[str, Query]:
    """The three queries and issue 3's, with variables naming the bench's targets."""
    pair = {"a": encode_id("Source", targets.source_a), "b": encode_id("Source", targets.source_b)}
    return {
        "Q1": Query(
            "Q1",
            "one claim, its attributions with source and document",
            Q1,
            {"id": encode_id("Claim", targets.claim)},
        ),
        "Q2": Query("Q2", "50 claims, up to 10 attributions each with source", Q2, {}),
        "Q3": Query("Q3", "first 50 claims both sources reported, with total", Q3, pair),
        "C1": Query(
            "C1",
            "compareSources: 3 pages of 20, totalCounts, agreementRate",
            C1,
            pair,
            referenced=False,
        ),
        "S1": Query(
            "S1",
            "search a common word (sanctions), first page of 20",
            S1,
            {"s": "sanctions"},
            referenced=False,
        ),
        "S2": Query(
            "S2",
            f"search the busiest source's name ({targets.source_name}), first page",
            S1,
            {"s": targets.source_name},
            referenced=False,
        ),
    }
