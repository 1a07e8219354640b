"""`python -m bench`: the side-by-side benchmark of issue 6 (see bench.harness.main)."""

import sys

from bench.harness.main import main

sys.exit(main())
