"""What ships: the wheel carries migrations, the demo article, the SDL and GraphiQL's files;
docker/ is sane.

No Docker engine runs in CI, so the image is checked statically: multi-stage,
non-root, health-checked, and copying only paths that exist.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    return zipfile.ZipFile(next(out.glob("claimgraph-*.whl")))


def test_wheel_carries_what_the_service_reads_at_run_time(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    migrations = {n for n in names if re.fullmatch(r"migrations/versions/[^/]+\.py", n)}
    on_disk = {f"migrations/versions/{p.name}" for p in (ROOT / "migrations/versions").glob("*.py")}
    assert migrations == on_disk
    assert {"migrations/env.py", "migrations/script.py.mako"} <= names
    assert "api/demo/kim-putin-vostochny.de.txt" in names
    assert "schema/schema.graphql" in names
    explorer = ROOT / "api/web/explorer"
    shipped = {
        str(p.relative_to(ROOT)) for p in explorer.rglob("*") if p.suffix in {".html", ".css"}
    }
    assert shipped and shipped <= names, shipped - names
    # GraphiQL's page and every file it loads (api/web/graphiql.py): it runs offline.
    assets = {p.name for p in (ROOT / "api/web/static/graphiql").iterdir()}
    assert {n.removeprefix("api/web/static/graphiql/") for n in names} >= assets
    assert "api/web/templates/graphiql.html" in names
    entry_points = wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "claimgraph = api.cli:main" in entry_points


def test_dockerfile_is_multi_stage_non_root_and_health_checked() -> None:
    dockerfile = (ROOT / "docker/Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.M)) >= 2
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK ", dockerfile, re.M)
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.M):
        for path in source.split():
            assert (ROOT / path).exists(), f"Dockerfile copies missing {path}"


def test_compose_waits_for_a_healthy_database() -> None:
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "docker/compose.yaml").read_text())
    db, api = compose["services"]["db"], compose["services"]["api"]
    assert "healthcheck" in db
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert api["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert (ROOT / "docker" / api["build"]["context"] / api["build"]["dockerfile"]).exists()
