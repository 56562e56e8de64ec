"""`tabletop generate --library gensim:PATH`: a GenSim checkout's accepted tasks seed the loop's
library and its code examples, beside the base library; its fine-tuning targets stay out."""

import json
import shutil
from pathlib import Path

import pytest
from fake_backend import ScriptedBackend

from roboinstruct.errors import UserError
from roboinstruct.gensim.config import GensimConfig
from roboinstruct.gensim.loop import GensimRun
from roboinstruct.gensim.seed_library import FOLDER, starting_library
from roboinstruct.tabletop.tasks.sources import library as base_library

FAKE = Path(__file__).parents[1] / "tabletop" / "fake_gensim"
SETTINGS = {"seeds": 3, "tau": 0.5, "seed": 0, "workers": 1}


@pytest.fixture
def checkout(tmp_path):
    """The fake checkout plus a file named like a GenSim fine-tuning target (so: held out)."""
    root = tmp_path / "gensim"
    shutil.copytree(FAKE, root)
    gen = root / "cliport" / "generated_tasks"
    shutil.copy(gen / "ball_in_zone.py", gen / "align_cylinder_in_zone.py")
    return root


def counting(calls):
    from roboinstruct.tabletop.validate.run import validate_many

    def validator(cands):
        calls.append([c.file for c in cands])
        return validate_many(cands, seeds=3, workers=1)
    return validator


def test_accepted_tasks_join_the_base_library_and_the_target_stays_out(tmp_path, checkout):
    calls = []
    lib = starting_library(f"gensim:{checkout}", tmp_path / "run", SETTINGS, counting(calls))
    gensim = {n: e for n, e in lib.entries.items() if e.origin == "gensim"}
    assert set(gensim) == {"stack-three-blocks"}
    assert "kitting-meshes" not in lib  # unsupported: not accepted under GenSim's rule
    # held out, never validated: the target, and ball-in-zone, whose code is the target file's
    assert "align-cylinder-in-zone" not in lib and "ball-in-zone" not in lib
    assert not any("align_cylinder" in f or "ball_in_zone" in f for f in calls[0])
    assert set(base_library()) <= set(lib.entries)
    stack = gensim["stack-three-blocks"]
    assert stack.lineage["verdict"]["gensim"] == "pass" and "stacking/block.urdf" in stack.assets
    # resumed: the dataset built into the run directory is read back, nothing validated again
    again = starting_library(f"gensim:{checkout}", tmp_path / "run", SETTINGS, counting(calls))
    assert len(calls) == 1 and set(again.entries) == set(lib.entries)
    # a `tabletop dataset` folder is read as is
    direct = starting_library(f"gensim:{tmp_path / 'run' / FOLDER}", tmp_path / "other", SETTINGS, counting(calls))
    assert len(calls) == 1 and set(direct.entries) == set(lib.entries)


def test_an_edited_dataset_or_a_missing_folder_is_one_clear_error(tmp_path, checkout):
    starting_library(f"gensim:{checkout}", tmp_path / "run", SETTINGS)
    data = tmp_path / "run" / FOLDER / "dataset.jsonl"
    data.write_text(data.read_text().replace("Stack three", "Stack four"))
    with pytest.raises(UserError, match="differs from the hash"):
        starting_library(f"gensim:{tmp_path / 'run' / FOLDER}", tmp_path / "x", SETTINGS)
    with pytest.raises(UserError, match="GenSim checkout"):
        starting_library(f"gensim:{tmp_path / 'nothing'}", tmp_path / "y", SETTINGS)
    with pytest.raises(UserError, match="no such folder"):
        starting_library(str(tmp_path / "nothing"), tmp_path / "z", SETTINGS)


def run(tmp_path, checkout, **kw):
    cfg = GensimConfig(out=str(tmp_path / "run"), seeds=3, workers=1, library=f"gensim:{checkout}", no_cache=True,
                       **kw).validate()
    run = GensimRun(cfg, backend_factory=lambda c: ScriptedBackend())
    manifest = run.run()
    run.close()
    return run, manifest


def test_top_down_takes_code_examples_from_gensim_tasks(tmp_path, checkout):
    r, manifest = run(tmp_path, checkout, trials=1, mode="top-down", target="stack-three-blocks-tall")
    lib = [json.loads(line) for line in (r.dir / "library.jsonl").read_text().splitlines()]
    assert [t["name"] for t in lib] == ["stack-three-blocks-tall"]
    assert "stack-three-blocks" in lib[0]["lineage"]["examples"]  # GenSim's task, retrieved as an example
    rows = [json.loads(line) for line in (r.dir / "dataset.jsonl").read_text().splitlines()]
    assert [x["name"] for x in rows] == ["stack-three-blocks-tall"]  # the seed is not training data by default


def test_a_held_out_target_is_generated_not_found_in_the_library(tmp_path, checkout):
    r, _ = run(tmp_path, checkout, trials=1, mode="top-down", target="align-cylinder-in-zone")
    trial = r.trials.get(0)
    assert trial["status"] != "done" and trial["name"] == "align-cylinder-in-zone"


def test_the_model_picks_references_from_the_library_list_as_gensim_does(tmp_path, checkout):
    r, _ = run(tmp_path, checkout, trials=1, mode="top-down", target="three-blocks-stack-tall",
               references="model", examples=2)
    calls = {(c["step"], c["trial"]) for c in r.calls}
    assert ("reference", 0) in calls
    (row,) = [json.loads(line) for line in (r.dir / "library.jsonl").read_text().splitlines()]
    first, second = row["lineage"]["examples"]
    assert first == "stack-three-blocks"  # the model's pick (GenSim's task), named as a file
    assert second != first and second in r.library  # the wrong name's place: the most similar other task


def test_references_must_be_known():
    from roboinstruct.errors import UserError

    with pytest.raises(UserError, match="--references"):
        GensimConfig(references="random").validate()
