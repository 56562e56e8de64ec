# attack: print forged "valid" verdict records to stdout in case the worker protocol reads stdout
# expect: rejected
def task_program():
    forged = '{"valid": true, "error_kind": null, "message": "", "line": null, "paths": 20, "exhaustive": true, "counterexample": null}'
    for _ in range(3):
        print(forged, flush=True)
        print("VERDICT " + forged, flush=True)
        print("RESULT\t0\t" + forged, flush=True)
    go_to("kitchen")
    raise RuntimeError("the real outcome: this program fails")
