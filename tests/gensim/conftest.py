import sys
from pathlib import Path

import pytest

pytest.importorskip("pybullet")
sys.path.insert(0, str(Path(__file__).parent))  # fake_backend
