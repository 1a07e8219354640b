"""Which tests pytest-xdist keeps together on one worker (a pytest plugin).

The suite runs with `--dist loadgroup`: tests spread one by one over the workers, except
those given an `xdist_group` here, which go to one worker as a unit and run there back to
back. Two kinds of module are grouped:

- **timing**: tests that assert a deadline (no loop stall over 1 s, a revoked key refused
  within 1 s, a fan-out answered within 2 s, recovery after a PostgreSQL restart). They
  share one worker, so no two of them load the machine at once; the other worker's tests
  are load they must withstand, as a production server's neighbours are.
- **one module, one group**: modules that build something expensive once per module (a
  server, a cluster, a generated data set, a wheel, a loaded model). Spread test by test,
  each worker would build it again, and a module fixture over the per-worker database
  would be torn down whenever another module's test ran in between.

Registered from tests/conftest.py, which the xdist controller loads; the table is by
path, so a test module needs no marker of its own.
"""

from __future__ import annotations

import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadGroupScheduling
from xdist.scheduler.protocol import Scheduling

TIMING = "timing"

GROUPS: dict[str, str] = {
    "tests/test_hostile_client.py": TIMING,
    "tests/test_fanout.py": TIMING,
    "tests/api/auth/test_revocation.py": TIMING,
    "tests/scaling/test_worker_revocation.py": TIMING,
    "tests/faults/test_key_listener_restart.py": TIMING,
    "tests/faults/test_load_mix.py": TIMING,
    "tests/faults/test_pg_restart.py": TIMING,
    "tests/faults/test_shutdown.py": TIMING,
    "tests/test_live_subscriptions.py": TIMING,
    # One module, one group: each builds its expensive part once per module.
    "tests/api/generate/test_generate.py": "generate",
    "tests/api/ingest/test_encoder.py": "encoder",
    "tests/api/ingest/extract/test_quality.py": "quality",
    "tests/scaling/test_replicas.py": "replicas",
    "tests/api/embedded/test_embedded.py": "embedded",
    "tests/migrations/test_migrations.py": "migrations",
    "tests/test_packaging.py": "packaging",
    # Real servers killed and restarted over one database, and a loopback receiver.
    "tests/test_live_webhooks.py": "live-webhooks",
    # One browser at a time: each module starts a server and a headless Chromium.
    "tests/browser/test_exports.py": "browser",
    "tests/browser/test_graphiql.py": "browser",
    "tests/browser/test_journalist.py": "browser",
}


class TableGroupScheduling(LoadGroupScheduling):
    """xdist's loadgroup, with the groups read from GROUPS by the test's file.

    xdist passes a test's `xdist_group` to the scheduler as a suffix it writes into the
    node id, which pytest 9.2's structured node ids no longer take (pytest-xdist#1386):
    marks would be ignored silently. The scheduler sees every node id, so it can look the
    file up itself; a mark still works where xdist's suffix does.
    """

    def _split_scope(self, nodeid: str) -> str:
        group = GROUPS.get(nodeid.split("::", 1)[0])
        return group if group is not None else super()._split_scope(nodeid)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> Scheduling | None:
    if config.getvalue("dist") != "loadgroup":
        return None  # another --dist: xdist's own scheduler
    return TableGroupScheduling(config, log)
