"""Interchange with other tools: JSON Lines dumps, schema.org ClaimReview, W3C PROV, CSV.

Plain functions over the database, like every domain package: the CLI, the HTTP
routes (routes.py) and the GraphQL layer (schema/interchange/resolvers.py) call them.
"""
