"""GenSim's task names -> a checkout's files, as GenSim's registry resolves them: on a checkout written
here (each rule alone) and on the real one (../shared/gensim, its scripts/task_list/ splits)."""

import json
from pathlib import Path

import pytest

from roboinstruct.errors import UserError
from roboinstruct.tabletop.tasks.gensim_splits import nearest, registry, resolve, split_names

CHECKOUT = Path(__file__).resolve().parents[3].parent / "shared" / "gensim"
real = pytest.mark.skipif(not CHECKOUT.is_dir(), reason="../shared/gensim is absent")

TASK = "from cliport.tasks.task import Task\n\n\nclass {0}(Task):\n    def __init__(self):\n        super().__init__()\n"


@pytest.fixture
def written(tmp_path):
    """A checkout with each of GenSim's naming rules once."""
    tasks, gen, lists = tmp_path / "cliport/tasks", tmp_path / "cliport/generated_tasks", tmp_path / "scripts/task_list"
    for d in (tasks, gen, lists):
        d.mkdir(parents=True)
    (tasks / "__init__.py").write_text("from cliport.tasks.stack_it import StackIt\n"
                                       "names = {'stack-it': StackIt, 'stack-it-easy': StackItEasy, 'ghost': Ghost}\n")
    (tasks / "stack_it.py").write_text(TASK.format("StackIt"))
    (tasks / "extended.py").write_text(TASK.format("StackItEasy") + "\n\n" + TASK.format("StackItHard"))
    (gen / "__init__.py").write_text("new_names = {}\n")
    (gen / "Odd_case_task.py").write_text(TASK.format("OddCaseTask"))
    (lists / "BASE.json").write_text(json.dumps(["stack-it", "stack-it-easy"]))
    (lists / "GEN.json").write_text(json.dumps(["Odd-case-task", "ghost", "never-written"]))
    return tmp_path


def test_split_files_are_read_by_their_stem(written):
    assert split_names(written) == {"BASE": ["stack-it", "stack-it-easy"],
                                    "GEN": ["Odd-case-task", "ghost", "never-written"]}


def test_each_naming_rule_and_every_failure_kept(written):
    got = {r.name: r for r in resolve(written, ["stack-it", "stack-it-easy", "Odd-case-task", "ghost", "never-written"])}
    assert (got["stack-it"].file, got["stack-it"].cls, got["stack-it"].status) == \
        ("cliport/tasks/stack_it.py", "StackIt", "resolved")  # the hand-written names dict
    assert got["stack-it-easy"].status == "several-classes" and got["stack-it-easy"].classes == 2
    assert got["Odd-case-task"].file == "cliport/generated_tasks/Odd_case_task.py"  # file stem, case kept
    assert got["ghost"].status == "unresolved" and got["ghost"].cls == "Ghost"  # named, but defined nowhere
    assert got["never-written"].status == "unresolved" and got["never-written"].file is None
    assert "odd-case-task" not in registry(written)  # GenSim's names are case-sensitive


def test_a_bad_split_file_is_a_user_error(written):
    (written / "scripts/task_list/BAD.json").write_text('{"not": "a list"}')
    with pytest.raises(UserError, match="BAD.json"):
        split_names(written)
    with pytest.raises(UserError, match="task_list"):
        split_names(written / "cliport")


@real
def test_gensims_own_splits_resolve_on_the_real_checkout():
    lists = split_names(CHECKOUT)
    assert {"CLIPort_5", "GPT_5", "GPT_10", "GPT_20", "GPT_50", "GPT_70"} <= set(lists)
    base = resolve(CHECKOUT, lists["CLIPort_5"])
    assert [r.file for r in base] == [f"cliport/tasks/{n.replace('-', '_')}.py" for n in lists["CLIPort_5"]]
    for split in ("GPT_5", "GPT_10"):
        assert all(r.status == "resolved" and r.file.startswith("cliport/generated_tasks/")
                   for r in resolve(CHECKOUT, lists[split]))
    four = resolve(CHECKOUT, ["Four-corner-pyramid-challenge"])[0]
    assert four.file == "cliport/generated_tasks/Four_corner_pyramid_challenge.py"
    easy = registry(CHECKOUT)["block-insertion-easy"]  # GenSim's names dict -> extended_tasks.py's classes
    assert easy.file == "cliport/tasks/extended_tasks.py" and easy.status == "several-classes"


@real
def test_near_copies_are_found_by_content():
    near = nearest(CHECKOUT, ["cliport/generated_tasks/ball_in_bowl_obstacle_course.py", "cliport/tasks/align_rope.py"],
                   ["cliport/generated_tasks/ball_in_bowl_obstacle_course_new.py", "cliport/tasks/align_box_corner.py"])
    sim, file = near["cliport/generated_tasks/ball_in_bowl_obstacle_course.py"]
    assert sim >= 0.9 and file.endswith("ball_in_bowl_obstacle_course_new.py")
    assert near["cliport/tasks/align_rope.py"][0] < 0.4
