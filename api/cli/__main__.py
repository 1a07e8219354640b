"""`python -m api.cli`: the `claimgraph` command."""

import sys

from api.cli import main

sys.exit(main())
