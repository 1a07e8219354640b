"""What the tests share besides fixtures: databases, the app in-process, SQL counting,
`claimgraph serve` subprocesses and throwaway PostgreSQL clusters. conftest.py keeps
only the fixtures built from these."""
