#!/bin/sh
# The benchmark in one command: a throwaway PostgreSQL, generated data, claimgraph and the
# hand-written reference side by side. Options: python -m bench --help.
cd "$(dirname "$0")/.." && exec python -m bench "$@"
