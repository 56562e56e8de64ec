"""`tabletop dataset` on the real GenSim checkout (../shared/gensim), a sample of its files
validated: accepted tasks under the chosen rule, held-out ones never validated nor written, and a
dataset `finetune` reads in the `tabletop` prompt format."""

import json
from pathlib import Path

import pytest

from roboinstruct.errors import UserError
from roboinstruct.tabletop.tasks.gensim_dataset import DatasetSettings, build, read_rows
from roboinstruct.tabletop.tasks.heldout import load_heldout
from roboinstruct.tabletop.validate.run import validate_many

CHECKOUT = Path(__file__).resolve().parents[3].parent / "shared" / "gensim"
pytestmark = pytest.mark.skipif(not CHECKOUT.is_dir(), reason="../shared/gensim is absent")
GEN = "cliport/generated_tasks/"
# both verdicts pass; GenSim's rule only (strict: oracle); neither (oracle); held out (a near-copy of rainbow-pyramid)
SAMPLE = {GEN + "color_coordinated_block_tower.py", GEN + "build_car.py", GEN + "assemble_single_car.py", GEN + "code_rainbow_pyramid.py"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    seen, cache = [], {}

    def validator(cands):  # validate once, serve both rules
        seen.extend(c.file for c in cands)
        todo = [c for c in cands if c.file not in cache]
        cache.update({v.file: v for v in validate_many(todo, seeds=4, workers=1)})
        return [cache[c.file] for c in cands]

    out = tmp_path_factory.mktemp("ds")
    s = DatasetSettings(seeds=4).validate()
    gensim = build(CHECKOUT, out / "gensim", s, validator, only=SAMPLE)
    strict = build(CHECKOUT, out / "strict", DatasetSettings(seeds=4, rule="strict").validate(), validator, only=SAMPLE)
    return out, gensim, strict, seen


def names(folder):
    return [r["name"] for r in read_rows(folder)]


def test_rule_decides_which_tasks_are_kept(built):
    out, gensim, strict, seen = built
    assert GEN + "code_rainbow_pyramid.py" not in seen  # held out: never validated
    assert names(out / "gensim") == ["build-car", "color-coordinated-block-tower"]
    assert names(out / "strict") == ["color-coordinated-block-tower"]
    assert gensim["rule"] == "gensim" and strict["rule"] == "strict"
    c = gensim["counts"]
    assert c["files"] == 186 and c["validated"] == 3 and c["accepted"] == 2 and c["rejected_at"] == {"oracle": 1}
    assert "code-rainbow-pyramid" in gensim["heldout"]["held_out"] and gensim["heldout"]["threshold"] == 0.4
    assert len(gensim["checkout"]["tasks_sha256"]) == 64


def test_rows_carry_name_description_code_verdict_hash_and_no_target(built):
    out = built[0]
    (car, tower) = read_rows(out / "gensim")
    assert car["verdict"] == {"rule": "gensim", "strict": "fail", "gensim": "pass", "passed": car["verdict"]["passed"],
                              "seeds": 4} and car["verdict"]["passed"] >= 2
    assert tower["instruction"] == f"color-coordinated-block-tower: {tower['description']}"
    assert tower["program"] == tower["code"]
    assert "class " in tower["code"] and len(tower["content_hash"]) == 16 and tower["description"]
    targets = load_heldout("tabletop:gensim-targets").values()
    text = (out / "gensim" / "dataset.jsonl").read_text().lower()
    assert not [t.name for t in targets if t.name in text or t.description.lower() in text]
    split = json.loads((out / "gensim" / "split.json").read_text())
    assert "def " not in json.dumps(split)  # names and numbers, no code


def test_finetune_reads_it_in_the_tabletop_prompt_format(built):
    from roboinstruct.core.kinds import native_prompt_format
    from roboinstruct.finetune.data import load_training_data

    data = load_training_data(built[0] / "gensim")
    assert [p[0].split(":")[0] for p in data.pairs] == ["build-car", "color-coordinated-block-tower"]
    assert native_prompt_format(data.manifest["kind"]).name == "tabletop"


def test_bad_settings_are_one_clear_error():
    with pytest.raises(UserError, match="heldout-threshold"):
        DatasetSettings(heldout_threshold=0).validate()
    with pytest.raises(UserError, match="--rule"):
        DatasetSettings(rule="lenient").validate()
