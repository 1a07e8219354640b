"""The GraphQL documents the explorer's pages send, one per page."""

from __future__ import annotations

SEARCH = """
query ExplorerSearch($search: String!, $first: Int!, $after: String) {
  claims(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        statement
        language
        comparison {
          sourceCount
          independentOriginCount
          contested
          consensusConfidence
          firstReport { reportedAt source { name } }
        }
      }
    }
  }
}
"""

CLAIM = """
query ExplorerClaim($id: ID!, $first: Int!, $after: String) {
  node(id: $id) {
    __typename
    ... on Claim {
      id
      statement
      language
      comparison {
        reportCount
        sourceCount
        independentOriginCount
        affirmCount
        denyCount
        contested
        consensusConfidence
        explanation
        quantityMin
        quantityMax
        firstReport { reportedAt source { name } document { title } }
      }
      attributions(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            id
            stance
            confidence
            hedges
            quote
            reportedAt
            reviewStatus
            version
            method
            quantity { value unit bound }
            source { id name kind }
            via { id name }
            chain { id name }
            document { id title url language publishedAt }
          }
        }
      }
    }
  }
}
"""
