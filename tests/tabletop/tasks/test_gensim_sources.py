"""GenSim's own files, unchanged: a checkout's task files load through the stand-ins."""

from pathlib import Path

import pytest

from roboinstruct.errors import UserError
from roboinstruct.tabletop.tasks.sources import collect, gensim_files
from roboinstruct.tabletop.validate.run import validate_many

CHECKOUT = Path(__file__).parents[1] / "fake_gensim"


def test_framework_modules_are_skipped():
    names = [f.name for f in gensim_files(CHECKOUT)]
    assert "task.py" not in names and "__init__.py" not in names
    assert "stack_three_blocks.py" in names and "ball_in_zone.py" in names


def test_per_file_verdicts_with_reasons():
    verdicts = {v.file: v for v in validate_many(collect([], str(CHECKOUT)), seeds=4)}
    stack = verdicts["cliport/tasks/stack_three_blocks.py"]
    assert stack.ok  # imports os, random, primitives, Spatula: resolved to stand-ins
    over = verdicts["cliport/generated_tasks/blocks_on_pallet_overpaid.py"]
    assert over.stage == "rewards" and "sum to 3" in over.reason
    mesh = verdicts["cliport/generated_tasks/kitting_meshes.py"]
    assert mesh.status == "unsupported" and "kitting" in mesh.reason
    assert verdicts["cliport/generated_tasks/ball_in_zone.py"].ok


def test_a_folder_without_gensim_layout_is_one_clear_error(tmp_path):
    with pytest.raises(UserError, match="GenSim checkout"):
        collect([], str(tmp_path))
