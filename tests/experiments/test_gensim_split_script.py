"""experiments/gensim_split.py on the real checkout: the split's files, names and numbers only, and
a dataset folder from another checkout refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from experiment_scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
CHECKOUT = ROOT.parent / "shared" / "gensim"
pytestmark = pytest.mark.skipif(not CHECKOUT.is_dir(), reason="../shared/gensim is absent")


def _script():
    return load_script('gensim_split')


def test_split_files_name_every_near_copy_and_hold_no_code(tmp_path):
    gs = _script()
    assert gs.main([str(CHECKOUT), "--out", str(tmp_path / "out")]) == 0
    split = json.loads((tmp_path / "out" / "split.json").read_text())
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    table = (tmp_path / "out" / "table.md").read_text()
    assert split["counts"] == manifest["counts"] and manifest["threshold"] == split["threshold"] == 0.4
    assert f"**{split['counts']['held_out']} held out**" in table and "**no**" not in table  # every named copy held out
    assert len(manifest["checkout"]["tasks_sha256"]) == 64 and manifest["dataset"] is None
    assert 0 < manifest["near_tabletop_heldout"]["tasks"] <= 186 and "tabletop:heldout" in table
    assert "import " not in json.dumps(split) and "class " not in table


def test_a_dataset_from_another_checkout_is_refused(tmp_path):
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "manifest.json").write_text(json.dumps({"checkout": {"tasks_sha256": "other"}}))
    with pytest.raises(SystemExit, match="another checkout"):
        _script().main([str(CHECKOUT), "--out", str(tmp_path / "out"), "--dataset", str(tmp_path / "ds")])


def test_a_dataset_of_the_same_checkout_has_its_size_recorded(tmp_path):
    from roboinstruct.tabletop.tasks.gensim_dataset import DatasetSettings, build

    build(CHECKOUT, tmp_path / "ds", DatasetSettings(seeds=2, workers=1).validate(),
          only={"cliport/generated_tasks/color_coordinated_block_tower.py", "cliport/generated_tasks/assemble_single_car.py"})
    assert _script().main([str(CHECKOUT), "--out", str(tmp_path / "out"), "--dataset", str(tmp_path / "ds")]) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["dataset"]["counts"]["validated"] == 2 and manifest["dataset"]["counts"]["accepted"] == 1
    assert manifest["dataset"]["strict_pass"] == 1 and manifest["dataset"]["rule"] == "gensim"
    assert manifest["dataset"]["suite_tasks_in_rows"] == {"tabletop:gensim-targets": [], "tabletop:heldout": []}
    assert "**1 tasks** accepted of the 2 kept tasks validated" in (tmp_path / "out" / "table.md").read_text()
