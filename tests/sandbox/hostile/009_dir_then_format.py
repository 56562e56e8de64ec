# attack: dir() an API function to find its dunder names, then read them through str.format field access (no getattr)
# expect: rejected
def task_program():
    go_to("kitchen")
    leaked = []
    for name in dir(go_to):
        if name.endswith("globals__"):
            leaked.append(("{0." + name + "}").format(go_to)[:300])
    if not leaked:
        raise ValueError("nothing leaked")
    say("leak: " + leaked[0])
