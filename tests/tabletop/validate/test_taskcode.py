"""The static allow-list for task files: what GenSim-style code needs passes, escapes do not."""

import pytest

from roboinstruct.tabletop.validate.taskcode import TaskRejected, check_task

HEADER = "import numpy as np\nfrom cliport.tasks.task import Task\nfrom cliport.utils import utils\nimport pybullet as p\n"


def task(body: str, header: str = HEADER) -> str:
    lines = "\n".join("        " + line for line in body.splitlines())
    return (f"{header}\nclass T(Task):\n    def __init__(self):\n        super().__init__()\n"
            f"        self.lang_template = 'x'\n\n    def reset(self, env):\n        super().reset(env)\n{lines}\n")


def test_gensim_style_code_passes():
    code, name = check_task(task("pose = self.get_random_pose(env, (0.04, 0.04, 0.04))\n"
                                 "b = env.add_object('stacking/block.urdf', pose, color=utils.COLORS['red'])\n"
                                 "self._mine = [b for _ in range(2)]\n"
                                 "q = p.getQuaternionFromEuler((0, 0, np.pi))\n"
                                 "s = '{} blocks'.format(len(self._mine))"))
    assert name == "T" and code is not None


@pytest.mark.parametrize("body, needle", [
    ("import subprocess", "import of 'subprocess'"),
    ("x = ().__class__", "'__class__'"),
    ("x = env._sim", "private attribute '_sim'"),
    ("np.save('/tmp/x', np.zeros(3))", "'save'"),
    ("np.zeros(3).tofile('/tmp/x')", "'tofile'"),
    ("f = '{0.__class__}'.format\nf(env)", "'.format' may only be called"),
    ("to = np.zeros(3).astype\nto('O')", "'.astype' may only be called"),
    ("utils.apply = None", "assigning to attributes is only allowed on self"),
    ("self = env", "assigning to `self`"),
    ("eval('1')", "'eval'"),
    ("getattr(env, 'add_object')", "'getattr'"),
    ("global np", "global/nonlocal"),
    ("yield 1", "generators"),
    ("with open('/etc/hostname') as f: pass", "with statements"),
    ("x = open('/etc/hostname')", "'open'"),
    ("match env:\n    case object(__class__=c): pass", "'__class__'"),
])
def test_escapes_are_rejected_with_a_line(body, needle):
    with pytest.raises(TaskRejected) as e:
        check_task(task(body))
    assert e.value.stage == "sandbox"
    assert needle in e.value.message
    assert e.value.line and e.value.line >= 10


@pytest.mark.parametrize("source, needle", [
    (HEADER + "class A(Task):\n    pass\nclass B(Task):\n    pass\n", "exactly one class"),
    (HEADER + "class A(object):\n    pass\n", "class A(Task)"),
    (HEADER + "class A(Task, metaclass=type):\n    pass\n", "no other bases"),
    (HEADER + "print('hi')\nclass A(Task):\n    pass\n", "module level"),
    (HEADER + "class A(Task):\n    @property\n    def x(self):\n        return 1\n", "decorators"),
    (HEADER + "class A(Task):\n    def __getattr__(self, k):\n        return 1\n", "__getattr__"),
    ("from cliport.tasks.task import *\nclass A(Task):\n    pass\n", "star imports"),
    ("from . import task\nclass A(Task):\n    pass\n", "not allowed"),
])
def test_module_shape_rules(source, needle):
    with pytest.raises(TaskRejected) as e:
        check_task(source)
    assert needle in e.value.message


def test_syntax_errors_are_the_parse_stage():
    with pytest.raises(TaskRejected) as e:
        check_task(HEADER + "class A(Task):\n    def reset(self, env)\n        pass\n")
    assert e.value.stage == "parse" and e.value.line == 6
    assert e.value.reason().startswith("line 6: SyntaxError")


def test_astype_calls_go_through_the_guard():
    """An array's own .astype has no stand-in before it: every call is rewritten to the runtime's
    `__astype__` (taskapi.numpy_guard.astype), which refuses object and raw-byte dtypes."""
    code, _ = check_task(task("a = np.zeros(3).astype(np.int64)\nb = self.x.astype('f4', copy=False)"))
    names = {n for c in [code, *_consts(code)] for n in c.co_names}
    assert "__astype__" in names and "astype" not in names


def _consts(code):
    out = []
    for c in code.co_consts:
        if hasattr(c, "co_names"):
            out += [c, *_consts(c)]
    return out
