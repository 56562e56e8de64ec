"""Fixtures for the benchmark tests: temporary RoboEval-style checkouts in both layouts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FAKE = Path(__file__).parent / "fake_roboeval"


def make_checkout(root: Path, layout: str) -> Path:
    """Lay the look-alike files out as ut-amrl/codebotler or ut-amrl/robo-instruct would."""
    pkg = root / "roboeval" if layout == "robo-instruct" else root
    (pkg / "benchmark" / "tasks").mkdir(parents=True)
    (pkg / "misc").mkdir(parents=True)
    shutil.copy(FAKE / "rtl.py", pkg / "benchmark" / "rtl.py")
    shutil.copy(FAKE / "simulator.py", pkg / "benchmark" / "simulator.py")
    shutil.copy(FAKE / "benchmark_utils.py", pkg / "misc" / "benchmark_utils.py")
    for f in (FAKE / "tasks").glob("*.py"):
        text = f.read_text()
        if layout == "robo-instruct":
            text = text.replace("from benchmark.", "from roboeval.benchmark.").replace("from misc.", "from roboeval.misc.")
        (pkg / "benchmark" / "tasks" / f.name).write_text(text)
    return root


@pytest.fixture(scope="session")
def codebotler(tmp_path_factory) -> Path:
    return make_checkout(tmp_path_factory.mktemp("codebotler"), "codebotler")


@pytest.fixture(scope="session")
def roboinstruct_checkout(tmp_path_factory) -> Path:
    return make_checkout(tmp_path_factory.mktemp("robo-instruct"), "robo-instruct")
