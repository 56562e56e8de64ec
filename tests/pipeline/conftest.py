"""Pipeline test fixtures."""

import pytest
from fake_model import FakeBackend


@pytest.fixture
def fake_backend():
    return FakeBackend()
