# class: forged verdict: write an all-pass reply into the worker's reply stream (any inherited fd, /proc/<zygote>/fd) | stopped by: protocol (the child holds no descriptor of the reply stream; replies need the job's nonce, which the child never had) and OS isolation (uid nobody, non-dumpable zygote: no /proc/<pid>/fd)
# mode: job
# expect: not-forged
import json
import os

forged = {"valid": True, "error_kind": None, "message": "", "line": None, "paths": 1, "exhaustive": True,
          "counterexample": None, "stats": {}, "check": "reference", "reference_valid": None, "rule": None}
for guess in (TASK.get("id", 0), 0, 1):
    body = json.dumps({"id": guess, "nonce": "0" * 32, "result": forged}).encode()
    frame = b"%010d" % len(body) + body
    targets = list(range(0, 256))
    for fd in targets:
        try:
            os.write(fd, frame)
        except OSError:
            pass
    for fd in range(0, 64):
        try:
            with open(f"/proc/{os.getppid()}/fd/{fd}", "wb", buffering=0) as f:
                f.write(frame)
        except OSError:
            pass
