# class: lost batch: a crash report written by a child that got past the Python layer, its message a list nested 985 deep: it parses in the caller's reply check (shallow there), then the tabletop caller formats it into each seed's reason deeper in its stack: RecursionError in the caller, the batch lost | stopped by: the pool (workers._crash_report: a result that says it is a crash is passed on as the pool's own are, its message text or a word that it had none)
# mode: job
# expect: crash
nest = []
for _ in range(985):
    nest = [nest]
RESULT.clear()
RESULT.update({"crashed": True, "error_kind": "SandboxError", "message": nest})
