"""Benchmarks: run against a database filled by `claimgraph generate`."""
