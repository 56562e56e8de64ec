"""The held-out split on the real GenSim checkout (../shared/gensim): near-copies of GenSim's
fine-tuning targets are held out by content, whatever their names."""

from pathlib import Path

import pytest

from roboinstruct.tabletop.tasks.heldout import load_heldout
from roboinstruct.tabletop.tasks.split import DEFAULT_THRESHOLD, read_checkout, split, split_checkout

CHECKOUT = Path(__file__).resolve().parents[3].parent / "shared" / "gensim"
pytestmark = pytest.mark.skipif(not CHECKOUT.is_dir(), reason="../shared/gensim is absent")
GEN = "cliport/generated_tasks/"
# the near-copies issue 22 names, and their targets
NEAR_COPIES = {"code_rainbow_pyramid": "rainbow-pyramid", "code_stack_wall": "construct-symmetric-block-wall",
               "code_blue_on_red_cylinder": "insert-blue-on-red-cylinder",
               "code_cylinder_in_colorful_container": "cylinder-in-colorful-container",
               "code_cylinder_in_zone": "align-cylinder-in-zone"}


@pytest.fixture(scope="module")
def sp():
    return split_checkout(CHECKOUT)


def test_the_targets_in_the_checkout_and_every_named_near_copy_are_held_out(sp):
    placed = {Path(p.file).stem: p for p in sp.placements}
    assert sp.targets["align-cylinder-in-zone"] == GEN + "align_cylinder_in_zone.py"
    assert sp.targets["rainbow-pyramid"] is None  # exists only as a name
    for stem in ("align_cylinder_in_zone", "block_on_cylinder_on_pallet"):
        assert placed[stem].held_out and placed[stem].similarity == 1.0
    for stem, target in NEAR_COPIES.items():
        assert placed[stem].held_out and placed[stem].target == target, placed[stem]
    assert placed["rainbow_pyramid_in_zone"].held_out
    assert not placed["towers_of_hanoi"].held_out and not placed["build_car"].held_out


def test_the_threshold_sits_above_the_95th_percentile_of_task_pairs(sp):
    assert sp.threshold == DEFAULT_THRESHOLD
    assert sp.pair_percentiles["p95"] <= sp.threshold < sp.pair_percentiles["p99"]
    assert sp.pair_share_below >= 0.95
    counts = sp.counts()
    assert counts["tasks"] == 186 and 0 < counts["held_out"] < counts["kept"]
    assert sum(counts["held_out_per_target"].values()) == counts["held_out"]
    assert sum(b["tasks"] for b in sp.to_dict()["distribution"]["nearest_target_histogram"]) == 186
    assert "code" not in str(sp.to_dict()["held_out"][0].keys() - {"via"})  # names and numbers only


def test_a_renamed_copy_of_a_target_is_held_out():
    files = read_checkout(CHECKOUT)
    original = files[GEN + "align_cylinder_in_zone.py"]
    targets = list(load_heldout("tabletop:gensim-targets").values())
    files[GEN + "my_new_task.py"] = original.replace("cylinder", "pillar")  # another name, other words
    placed = {p.file: p for p in split(files, targets).placements}
    p = placed[GEN + "my_new_task.py"]
    assert p.held_out and p.target == "align-cylinder-in-zone", p
    files[GEN + "my_new_task.py"] = "class Other(Task):\n    pass\n"  # the same name, nothing in common
    assert not {p.file: p for p in split(files, targets).placements}[GEN + "my_new_task.py"].held_out


def test_a_higher_threshold_holds_out_fewer(sp):
    assert len(split_checkout(CHECKOUT, 0.6).held_out) < len(sp.held_out)


def test_the_suite_says_truly_which_targets_have_a_file_in_the_checkout(sp):
    import yaml

    from roboinstruct.tabletop.tasks.heldout import BUILTINS

    declared = {t["name"]: t["in_checkout"] for t in yaml.safe_load(BUILTINS["gensim-targets"].read_text())["tasks"]}
    assert declared == {name: file is not None for name, file in sp.targets.items()}
    assert sum(declared.values()) == 2
