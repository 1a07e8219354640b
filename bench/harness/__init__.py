"""`python -m bench`: claimgraph against one hand-written SQL statement per request.

By stage: `cluster` (a throwaway PostgreSQL), `data` (generated rows and the ids
queried), `queries` (the GraphQL documents), `reference` (the hand-written server),
`servers` (both servers as processes), `load` and `client` (load generators),
`measure` (one cell: load, CPU, SQL; and the same-data check), `report` (markdown) and
`main` (the command).
"""
