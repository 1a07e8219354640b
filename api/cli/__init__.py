"""The command line face: `claimgraph` (and `python -m api.cli`), one module per command group.

argparse lives only here; each command calls the domain's services.
"""

from api.cli.claimgraph import main

__all__ = ["main"]
