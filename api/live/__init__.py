"""Live updates (issue 15): the outbox of committed changes, and who hears of them.

- `kinds`, `models`, `changes`: the `change` table of migration 0014, filled in the
  writing transaction by row triggers whoever writes, numbered at commit in commit
  order, announced by NOTIFY on `claimgraph_changes`; `changes_after` reads it.
- `recording`: before each commit of our sessions, CLAIM_CONTESTED for the claims the
  write made contested (the contested rule stays in api/provenance/claim_comparison.py).
  Importing this package installs it, so every face that imports api.live (the app,
  the command line) records contested claims.
- `broker`, `matching`, `webhooks`: subscriptions and webhook deliveries read the table.
"""

from api.live import recording as recording
