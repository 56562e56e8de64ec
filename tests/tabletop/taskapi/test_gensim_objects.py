"""GenSim's piles and ropes (taskapi.gensim_objects) through the real path: a pile task and a rope
task of the shared GenSim checkout declared in the task's half, rebuilt and solved in a process that
never ran their code (the pile pushed with the spatula, the rope's joints rebuilt from the scene
log), and validated in sandbox workers under GenSim's rule. In this project's own dialect both stay
unsupported. Skipped without a checkout (GENSIM_CHECKOUT, default ../shared/gensim)."""

import os
from pathlib import Path

import pytest

from roboinstruct.tabletop.env.sim import Sim
from roboinstruct.tabletop.tasks.sources import collect
from roboinstruct.tabletop.validate.run import validate_many
from roboinstruct.tabletop.validate.taskcode import check_task
from roboinstruct.tabletop.validate.verdict import Candidate
from roboinstruct.tabletop.validate.worker.episode import SeedResult, declare_episode
from roboinstruct.tabletop.validate.worker.physics import Stop, simulate_seed

CHECKOUT = Path(os.environ.get("GENSIM_CHECKOUT", Path(__file__).resolve().parents[4] / "shared" / "gensim"))
pytestmark = pytest.mark.skipif(not (CHECKOUT / "cliport" / "generated_tasks").is_dir(),
                                reason=f"no GenSim checkout at {CHECKOUT}")
PILE = "cliport/tasks/separating_piles.py"  # 50 small blocks pushed into one of two zones
ROPE = "cliport/tasks/align_rope.py"  # a 20-link rope laid along one side of a square


@pytest.fixture(scope="module")
def files():
    return {c.file: c for c in collect([], str(CHECKOUT)) if c.file in (PILE, ROPE)}


def _declared(cand, seed=5):
    code, name = check_task(cand.source)
    out = declare_episode(code, name, seed, dialect="gensim", assets=cand.assets)
    assert out["stage"] is None, out["reason"]
    return out["declaration"]


def test_a_pile_is_fifty_small_blocks_pushed(files):
    declared = _declared(files[PILE])
    adds = [e for e in declared["log"] if e[0] == "add" and e[1]["name"] == "block/small.urdf"]
    assert len(adds) == 50 and declared["primitive"] == "push" and declared["lift"] is None
    (goal,) = declared["goal_specs"]
    assert goal["metric"] == "zone" and len(goal["objs"]) == 50 and goal["replace"]
    # every block dropped where GenSim drops a pile: x 0.40-0.60, y -0.10-0.10, 1 cm up
    assert all(0.4 <= e[3][0] <= 0.6 and -0.1 <= e[3][1] <= 0.1 and e[3][2] == 0.01 for e in adds)


def test_a_rope_is_jointed_links_carried_low(files):
    declared = _declared(files[ROPE])
    beads = [e[1]["name"] for e in declared["log"] if e[0] == "add" and e[1]["name"] == "rope/bead"]
    links = [e for e in declared["log"] if e[0] == "link"]
    assert len(beads) == 20 and len(links) == 19
    assert declared["primitive"] == "pick" and declared["lift"] == 0.02 and declared["tolerances"][0] == 0.02
    (goal,) = declared["goal_specs"]
    # either end of the rope may go to either corner: each link matches its target and the mirrored one
    assert sum(map(sum, goal["matches"])) == 40


def test_a_push_is_refused_outside_gensims_dialect(files):
    declared = _declared(files[PILE])
    sim = Sim()
    try:
        with pytest.raises(Stop) as stop:
            simulate_seed({**declared, "seed": 5, "gensim": False}, sim, SeedResult(5))
        assert stop.value.stage == "reset"
    finally:
        sim.close()


def test_piles_and_ropes_pass_gensims_rule_in_sandbox_workers(files):
    own = [Candidate(f"own/{Path(f).name}", c.source) for f, c in files.items()]  # this project's dialect
    verdicts = {v.file: v for v in validate_many([*files.values(), *own], seeds=4)}
    for f in (PILE, ROPE):
        v = verdicts[f]
        assert v.gensim_verdict["status"] == "pass", (f, v.gensim_verdict)
        assert v.gensim_verdict["passed"] >= 2
    for f in (PILE, ROPE):
        v = verdicts[f"own/{Path(f).name}"]
        assert v.status == "unsupported", v.line()


LETTER = "cliport/generated_tasks/push_piles_into_letter.py"  # 50 pile blocks pushed into a kitting letter


def test_targets_sampled_inside_a_kitting_letter_as_gensims_trimesh_does():
    """The targets of `get_target_sample_surface_points` lie inside the letter's mesh (its triangles
    read from the checkout), placed by the zone's pose: all of them within the letter's box, and
    none in the holes a letter has (the inside test itself, on a unit cube, first)."""
    import numpy as np

    from roboinstruct.tabletop.catalogue.urdf import mesh_from_obj
    from roboinstruct.tabletop.taskapi.gensim_objects import _inside

    cube = mesh_from_obj("kitting/99.obj", "\n".join(
        [f"v {x} {y} {z}" for x in (0, 1) for y in (0, 1) for z in (0, 1)] +
        ["f 1 2 4 3", "f 5 7 8 6", "f 1 5 6 2", "f 3 4 8 7", "f 1 3 7 5", "f 2 6 8 4"]))
    assert len(cube.faces) == 36  # six quads as two triangles each
    tri = np.asarray(cube.mesh).reshape(-1, 3)[np.asarray(cube.faces).reshape(-1, 3)]
    pts = np.array([[0.5, 0.5, 0.5], [0.2, 0.9, 0.1], [1.5, 0.5, 0.5], [0.5, 0.5, 1.2], [0.5, 0.5, -0.2]])
    assert _inside(pts, tri).tolist() == [True, True, False, False, False]


def test_push_piles_into_letter_declares_targets_inside_its_letter():
    cand = {c.file: c for c in collect([], str(CHECKOUT)) if c.file == LETTER}[LETTER]
    declared = _declared(cand)
    (goal,) = declared["goal_specs"]
    letter = [e for e in declared["log"] if e[0] == "add" and e[1]["name"].startswith("kitting/object-template")]
    assert len(letter) == 1
    x0, y0 = letter[0][3][0], letter[0][3][1]
    targets = [t[0] for t in goal["targets"]]
    # up to 50 points inside the letter (trimesh keeps the first 50 of 150 draws that fall inside)
    assert 20 <= len(targets) <= 50 and len(goal["objs"]) == 50
    # a letter 0.006 x its mesh: within a 20 cm box around the zone's centre, all different
    assert all(abs(x - x0) < 0.1 and abs(y - y0) < 0.1 for x, y, _ in targets)
    assert len({(round(x, 5), round(y, 5)) for x, y, _ in targets}) == len(targets)
