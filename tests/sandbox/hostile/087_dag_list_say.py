# attack: pass say() a tiny DAG of shared lists whose str() is ~25 MB, so the cost lands in verifier code
# expect: contained
def task_program():
    go_to("kitchen")
    x = []
    for _ in range(22):
        x = [x, x]
    say(x)
