# class: lost batch: raw memory -> a reply frame of the right form but the wrong content (results not a list of seed results) written into the reply pipe | stopped by: AST check (attribute allow-list); behind it the caller's schema check of replies (validate.replies: that job's crash, never the batch)
# mode: task
# expect: rejected
# reject: is not available to task code
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


def obj_at(addr):
    """The object at an address: an object-dtype array over a buffer of chosen pointers."""
    return np.ndarray((1,), dtype="O", buffer=np.array([addr], dtype=np.int64))[0]


def reader():
    """A fake bytes object (header built in a large, hence low-mapped, bytes payload) that spans the address
    space above it: read8(addr) reads any word there."""
    head = (1 << 20).to_bytes(8, "little") + id(type(b"")).to_bytes(8, "little") + (2 ** 63 - 1).to_bytes(8, "little")
    payload = head + (-1).to_bytes(8, "little", signed=True) + b"\0" * 40_000_000
    fake = obj_at(id(payload) + 32)
    base = id(payload) + 64

    def read8(addr):
        return int.from_bytes(fake[addr - base:addr - base + 8], "little")

    return read8, payload


def real_builtins(fn):
    read8, keep = reader()
    return obj_at(read8(id(fn) + 16))["__builtins__"], keep


class Malformed(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "put the block down"

    def reset(self, env):
        super().reset(env)
        b, keep = real_builtins(utils.get_colors)
        os, json = b["__import__"]("os"), b["__import__"]("json")
        for result in ({"results": [{"seed": "x", "ok": True}], "replay": None}, {"results": 7}, {}):
            body = b["getattr"](json, "dum" + "ps")({"result": result, "imported": []}).encode()
            for fd in range(3, 64):
                try:
                    os.write(fd, b"%010d" % len(body) + body)
                except OSError:
                    pass
            b["getattr"](os, "_exit")(0)
