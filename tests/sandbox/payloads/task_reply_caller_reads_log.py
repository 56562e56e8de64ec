# class: lost batch: raw memory -> a schema-valid declaration whose scene log holds a number, which the caller read (ranking the physics jobs) before any child checked it | stopped by: AST check (no id); behind it the caller's schema check of a declaration's log (validate.replies: every change a list naming its operation), that job's crash, never the batch
# mode: task
# expect: rejected
# reject: name 'id' is not available to task code
import numpy as np
from cliport.tasks.task import Task
from cliport.utils import utils


def peek(addr, n):
    RO = type(np)
    fake = RO("mem", {"__array_interface__": {"data": (addr, False), "shape": (n,), "typestr": "<u8", "version": 3}})
    return np.asarray(fake)


def obj_at(addr):
    box = [None]
    cell = peek(int(peek(id(box) + 24, 1)[0]), 1)
    cell[0] = addr
    return box[0]


def real_builtins():
    return obj_at(int(peek(id(utils.get_colors) + 16, 1)[0]))["__builtins__"]


class OddLog(Task):
    def __init__(self):
        super().__init__()
        self.lang_template = "put the block down"

    def reset(self, env):
        super().reset(env)
        b = real_builtins()
        imp = b["__import__"]
        sys, os, json = imp("sys"), imp("os"), imp("json")
        frame = b["getattr"](sys, "_getframe")()
        while frame is not None and frame.f_code.co_name != "validate_job":
            frame = frame.f_back
        seeds = frame.f_locals["task"]["seeds"]
        declaration = {"log": [7], "goal_specs": [], "tolerances": [0.01, 0.2], "max_steps": 3, "gensim": False,
                       "nominal": [], "primitive": "pick", "lift": None}
        results = [{"seed": s, "ok": False, "stage": None, "reason": "", "step": None, "actions": 0, "sim_steps": 0,
                    "state_hash": "", "goals": 1, "goals_met": 0, "assets": [], "goal_specs": [], "tolerances": [],
                    "sizes": {}, "nominal": [], "scenes": [], "notes": [], "strict_stage": None, "strict_reason": "",
                    "declared": "x", "oracle_run": True, "declaration": declaration} for s in seeds]
        body = json.dumps({"result": {"results": results, "replay": "x"}, "imported": []}).encode()
        for fd in range(3, 64):
            try:
                os.write(fd, b"%010d" % len(body) + body)
            except OSError:
                pass
        b["getattr"](os, "_exit")(0)
