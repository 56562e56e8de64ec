"""Packaging facts a new user depends on: the license metadata builds without deprecation
warnings, the documented installs include what the official RoboEval files import, and the
README's commands are what CI runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def test_license_is_an_spdx_string_and_metadata_builds_without_warnings(tmp_path):
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    # the real build backend, as pip runs it: no SetuptoolsDeprecationWarning about `license`
    code = ("import warnings, setuptools.build_meta as b; warnings.simplefilter('error'); "
            f"print(b.prepare_metadata_for_build_wheel({str(tmp_path)!r}))")
    p = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    meta = next(tmp_path.glob("*.dist-info")) / "METADATA"
    assert "License-Expression: Apache-2.0" in meta.read_text()


def _extra(name: str, seen=None) -> set[str]:
    """Requirement names of an extra, following `roboinstruct[...]` self-references."""
    seen = seen or set()
    out = set()
    for req in PYPROJECT["project"]["optional-dependencies"][name]:
        if req.startswith("roboinstruct["):
            for inner in req[len("roboinstruct["):-1].split(","):
                if inner not in seen:
                    seen.add(inner)
                    out |= _extra(inner, seen)
        else:
            out.add(req.split("=")[0].split(">")[0].split("<")[0].strip())
    return out


@pytest.mark.parametrize("extra", ["all", "test"])
def test_documented_installs_include_what_roboeval_task_files_import(extra):
    assert "numpy" in _extra(extra)


def test_a_checkout_needing_a_missing_package_names_the_fix(tmp_path):
    from roboinstruct.benchmark.roboeval import load_roboeval
    from roboinstruct.errors import UserError

    tasks = tmp_path / "benchmark" / "tasks"
    tasks.mkdir(parents=True)
    (tmp_path / "benchmark" / "rtl.py").write_text("import numpy\nimport not_installed_pkg_xyz\n")
    with pytest.raises(UserError, match=r"needs the Python package 'not_installed_pkg_xyz'.*pip install "
                                        r"not_installed_pkg_xyz"):
        load_roboeval(str(tmp_path))


def test_readme_commands_run_in_a_virtual_environment_and_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    main_job, tests = [line.split("  #")[0].strip() for line in block.strip().splitlines()[:2]]
    # PEP 668 (Debian/Ubuntu system Python) refuses pip outside a venv: both commands make one
    for cmd in (main_job, tests):
        assert cmd.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install "), cmd
    assert "roboinstruct generate" in main_job and "pytest" in tests
    assert tests in (REPO / ".ci" / "run").read_text()
