"""`python -m api`: the `claimgraph` command."""

import sys

from api.cli import main

sys.exit(main())
