"""Attributions in GraphQL: Attribution, its mutations, and compareSources."""
