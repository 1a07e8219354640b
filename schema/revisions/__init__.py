"""Revisions in GraphQL: Revision and history."""
