"""Reading a GenSim checkout (`--gensim PATH`): someone else's repository, whose git-stored symbolic
links may name /dev/zero, /dev/urandom or a host file, or that holds a FIFO. Before checkout_files the
caller read such a file to its end: /dev/zero until its memory ran out (a MemoryError ended
`tabletop validate --gensim`), a FIFO never returned."""

import os
from pathlib import Path

import pytest

from roboinstruct.tabletop.catalogue.urdf import ASSETS_DIR, checkout_assets
from roboinstruct.tabletop.checkout_files import read_text
from roboinstruct.tabletop.tasks.sources import collect
from roboinstruct.tabletop.tasks.split import read_checkout
from roboinstruct.tabletop.validate.taskcode import MAX_SOURCE_BYTES

TASK = "from cliport.tasks.task import Task\n\n\nclass T(Task):\n    pass\n"
BOX = ('<robot name="b"><link name="l"><collision><geometry><box size="0.04 0.04 0.04"/></geometry>'
       '</collision></link></robot>')


@pytest.fixture
def hostile_checkout(tmp_path):
    root = tmp_path / "gensim"
    tasks = root / "cliport" / "generated_tasks"
    tasks.mkdir(parents=True)
    (tasks / "real_task.py").write_text(TASK)
    (tasks / "alias_task.py").symlink_to(tasks / "real_task.py")  # a link inside the checkout: read
    (tasks / "zero_task.py").symlink_to("/dev/zero")
    os.mkfifo(tasks / "fifo_task.py")
    (tasks / "long_task.py").write_text("#" * (3 * MAX_SOURCE_BYTES))
    outside = tmp_path / "host-secret.urdf"  # a file of the host, beside the checkout
    outside.write_text(BOX)
    (tasks / "host_task.py").symlink_to(outside)
    assets = root / ASSETS_DIR
    (assets / "box").mkdir(parents=True)
    (assets / "kitting").mkdir()
    (assets / "box" / "own-box.urdf").write_text(BOX)
    (assets / "box" / "zero.urdf").symlink_to("/dev/zero")
    (assets / "box" / "host.urdf").symlink_to(outside)
    (assets / "kitting" / "01.obj").symlink_to("/dev/urandom")
    os.mkfifo(assets / "kitting" / "02.obj")
    return root


def test_only_regular_files_inside_the_checkout_are_read(hostile_checkout, tmp_path):
    tasks = hostile_checkout / "cliport" / "generated_tasks"
    assert read_text(tasks / "real_task.py", hostile_checkout, 1000) == TASK
    assert read_text(tasks / "alias_task.py", hostile_checkout, 1000) == TASK
    for name in ("zero_task.py", "fifo_task.py", "host_task.py"):
        assert read_text(tasks / name, hostile_checkout, 1000) is None, name
    assert len(read_text(tasks / "long_task.py", hostile_checkout, 1000)) == 1001  # one past: "over the limit"


def test_a_hostile_checkout_gives_its_task_files_and_assets_only(hostile_checkout):
    files = {c.file: c.source for c in collect([], str(hostile_checkout))}
    gen = "cliport/generated_tasks/"
    assert set(files) == {gen + "real_task.py", gen + "alias_task.py", gen + "long_task.py"}
    assert len(files[gen + "long_task.py"]) == MAX_SOURCE_BYTES + 1  # the checker refuses it as too long
    assert set(read_checkout(hostile_checkout)) == set(files)
    assert set(checkout_assets(hostile_checkout)) == {"box/own-box.urdf"}
