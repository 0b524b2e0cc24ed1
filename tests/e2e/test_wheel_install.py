"""The built wheel, installed into a fresh virtualenv outside the checkout, serves the demo day from
another folder: the scenario and the migrations come from package data, the database from the
instance folder, never from the working directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from servers import REPO, free_port, local_url, printed_value, serving

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{argv}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv (no access to the checkout) with the wheel built from this checkout."""
    root = tmp_path_factory.mktemp("wheel")
    # `python -m build` in an isolated environment, as a release would be built.
    _run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(root / "dist"), str(REPO)],
        timeout=600,
    )
    (wheel,) = (root / "dist").glob("hub_scheduler-*.whl")
    # Without PYTHONPATH: a checkout on it (its hub_scheduler.egg-info from the build above) makes
    # pip think hub-scheduler is already installed, and the venv would get no package at all.
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run([sys.executable, "-m", "venv", str(root / "venv")], env=clean)
    _run([str(root / "venv" / "bin" / "pip"), "install", "-q", str(wheel)], timeout=800, env=clean)
    return root


def test_the_installed_wheel_serves_the_demo_from_another_folder(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(HUB_SCHEDULER_INSTANCE=str(tmp_path / "instance"), HOME=str(tmp_path))
    script = installed / "venv" / "bin" / "hub-scheduler"

    # The console script imports the installed copy, not this checkout.
    where = _run(
        [
            str(installed / "venv" / "bin" / "python"),
            "-c",
            "import api, hub_scheduler.data as d; print(api.__file__, d.demo_scenario())",
        ],
        cwd=elsewhere,
        env=env,
    )
    assert str(REPO) not in where.stdout and "site-packages" in where.stdout

    port = free_port()
    log_path = tmp_path / "serve.log"
    argv = [str(script), "serve", "--demo", "--port", str(port), "--workers", "1"]
    with serving(
        argv, url=local_url(port), log=log_path, env=env, cwd=elsewhere, timeout_s=180, poll_s=0.5
    ):
        # The command line speaks Chinese by default (README, "The command line's language").
        token = printed_value(log_path, "管理员令牌：")
        assert token, log_path.read_text(errors="replace")
        hubs = httpx.get(
            f"{local_url(port)}/api/v1/hubs",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert hubs.status_code == 200, hubs.text
        assert len(hubs.json()) == 4
        assert httpx.get(f"{local_url(port)}/readyz", timeout=30).status_code == 200
    assert (tmp_path / "instance" / "hub_scheduler.sqlite3").is_file()
    assert not list(elsewhere.iterdir()), "nothing may be written to the working directory"

    info = _run([str(script), "info"], cwd=elsewhere, env=env).stdout
    assert f"实例目录：   {tmp_path / 'instance'}" in info and "已是最新" in info
