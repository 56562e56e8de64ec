"""Shared fixtures: the built-in domain, the second (drone) domain, the shared data set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roboinstruct.domain import load_domain

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data" / "dev_programs.jsonl"


@pytest.fixture(scope="session")
def domain():
    return load_domain()


@pytest.fixture(scope="session")
def drone():
    return load_domain(str(REPO / "examples" / "drone.yaml"))


@pytest.fixture(scope="session")
def dev_programs():
    if not SHARED_DATA.exists():
        pytest.skip(f"{SHARED_DATA} is absent (it lives in ../shared beside the repo)")
    return [json.loads(line) for line in SHARED_DATA.read_text().splitlines() if line.strip()]
