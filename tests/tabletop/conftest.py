import pytest

pytest.importorskip("pybullet")  # the tabletop extra is part of the test install; this guards partial installs
