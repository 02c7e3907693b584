"""deploy/docker/Dockerfile, checked by parsing (no Docker engine here to build it)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY, REPO

DOCKER = DEPLOY / "docker"
DOCKERFILE = DOCKER / "Dockerfile"
IGNORE = DOCKER / "Dockerfile.dockerignore"
ENTRYPOINT = DOCKER / "entrypoint.sh"


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for key, args in self.instructions if key == keyword]


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """Global ARG defaults and the stages, continuation lines joined, comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    assert not pending, "dangling line continuation"
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in lines:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = rest.split()
            base = words[0]
            for name, value in args.items():
                base = base.replace("${" + name + "}", value)
            alias = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base, alias))
        elif not stages:
            assert keyword == "ARG", f"{keyword} before the first FROM"
            name, _, default = rest.partition("=")
            args[name] = default
        else:
            stages[-1].instructions.append((keyword, rest.strip()))
    return args, stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile(DOCKERFILE.read_text())[1]


def test_multi_stage(stages: list[Stage]) -> None:
    names = [s.name for s in stages]
    assert len(stages) >= 3
    assert {"frontend", "builder", "runtime"} <= set(names)
    assert names[-1] == "runtime"


def test_frontend_stage_builds_with_node_20(stages: list[Stage]) -> None:
    frontend = next(s for s in stages if s.name == "frontend")
    assert frontend.base.startswith("node:20")
    runs = " ".join(frontend.all("RUN"))
    assert "npm ci" in runs
    assert "npm run build" in runs
    # Lock file copied before the sources, so the npm layer caches.
    copies = frontend.all("COPY")
    assert "package-lock.json" in copies[0]


def test_builder_installs_from_the_lock_with_uv(stages: list[Stage]) -> None:
    builder = next(s for s in stages if s.name == "builder")
    assert builder.base.startswith("python:3.11-slim")
    syncs = [run for run in builder.all("RUN") if "uv sync" in run]
    assert syncs
    for run in syncs:
        assert "--frozen" in run, run
        assert "--no-dev" in run, run
    assert any("uv.lock" in copy for copy in builder.all("COPY"))


def test_runtime_is_slim_non_root_with_healthcheck(stages: list[Stage]) -> None:
    runtime = stages[-1]
    assert runtime.base.startswith("python:3.11-slim")
    (user,) = runtime.all("USER")
    uid = user.split(":")[0]
    assert uid not in ("0", "root")
    assert uid.isdigit(), "numeric USER, so Kubernetes' runAsNonRoot can verify it"
    (healthcheck,) = runtime.all("HEALTHCHECK")
    assert "/health" in healthcheck
    assert "--start-period" in healthcheck
    env = " ".join(runtime.all("ENV"))
    assert "HSC_HOST=0.0.0.0" in env
    (cmd,) = runtime.all("CMD")
    assert shlex.split(cmd.strip("[]").replace(",", " ")) == [
        "hsc-jit", "serve", "--workers", "4",
    ]  # fmt: skip
    copies = " ".join(runtime.all("COPY"))
    assert "--from=builder" in copies
    assert "/app/.venv" in copies
    assert "--from=frontend" in copies
    assert "/dist" in copies
    assert "--from=uv" not in copies, "uv is a build tool: not in the runtime image"


def test_runtime_serves_the_built_frontend(stages: list[Stage]) -> None:
    runtime = stages[-1]
    env = " ".join(runtime.all("ENV"))
    assert "HSC_STATIC_DIR=/app/frontend/dist" in env
    assert any("/app/frontend/dist" in c for c in runtime.all("COPY"))


def test_copied_sources_exist_and_are_not_ignored(stages: list[Stage]) -> None:
    ignore = [line.strip() for line in IGNORE.read_text().splitlines()]
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert "*" in ignore, "the ignore file excludes everything by default"
    for stage in stages:
        for copy in stage.all("COPY"):
            words = [w for w in copy.split() if not w.startswith("--")]
            if "--from=" in copy:
                continue
            for source in words[:-1]:
                source = source.rstrip("/")
                if source.startswith("frontend"):
                    continue  # the web app is added by another team; checked in CI builds
                assert source in allowed, f"{source} is excluded by {IGNORE.name}"
                assert (REPO / source).exists(), source


def test_entrypoint_is_valid_shell_and_executable() -> None:
    assert os.access(ENTRYPOINT, os.X_OK)
    sh = shutil.which("sh")
    assert sh is not None
    subprocess.run([sh, "-n", str(ENTRYPOINT)], check=True)


def test_entrypoint_empties_the_metrics_folder(tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"stale")
    (folder / "keep.txt").write_text("not a metrics file")
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    result = subprocess.run(
        [str(ENTRYPOINT), "sh", "-c", 'ls "$PROMETHEUS_MULTIPROC_DIR"'],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["keep.txt"]


def test_entrypoint_creates_a_missing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "metrics"
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    subprocess.run([str(ENTRYPOINT), "true"], env=env, check=True)
    assert folder.is_dir()
