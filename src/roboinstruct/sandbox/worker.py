"""The sandbox worker process: reads JSON tasks on stdin, writes JSON verdicts on stdout.

Started by roboinstruct.sandbox.workers as `python -m roboinstruct.sandbox.worker`. JSON (not
pickle) crosses the boundary both ways, so even a worker taken over by a hostile program
cannot make the parent execute anything. OS limits are set here, before the first task.

A task names its job as "package.module:function" (the function takes the task dict and
returns a JSON-able dict): the sandbox knows no domain, each domain names its own job.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys


def _limit(which: int, soft: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def main() -> None:
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
    cpu_seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    # Keep the real stdout for verdicts; everything else the program might print goes nowhere.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    import importlib

    _limit(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
    _limit(resource.RLIMIT_FSIZE, 1024 * 1024)
    sys.setrecursionlimit(2000)
    handlers: dict = {}
    for line in sys.stdin:
        task = json.loads(line)
        job = task.pop("job", "")
        used = resource.getrusage(resource.RUSAGE_SELF)
        _limit(resource.RLIMIT_CPU, int(used.ru_utime + used.ru_stime) + 1 + cpu_seconds)
        try:
            if job not in handlers:  # imported on first use, after the limits are in place
                module, _, func = job.partition(":")
                handlers[job] = getattr(importlib.import_module(module), func)
            result = handlers[job](task)
        except MemoryError:
            result = {"crashed": True, "error_kind": "SandboxError", "message": "memory limit exceeded"}
        except BaseException as exc:  # noqa: BLE001 - a task must never end the loop silently
            result = {"crashed": True, "error_kind": "SandboxError",
                      "message": f"worker failure: {type(exc).__name__}: {exc}"[:500]}
        out.write(json.dumps(result, default=str) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
