# attack: raise a fake MemoryError to trick the verifier into a retry/worker-restart path or a special-case verdict
# expect: rejected
def task_program():
    go_to("kitchen")
    raise MemoryError("out of memory (not really)")
