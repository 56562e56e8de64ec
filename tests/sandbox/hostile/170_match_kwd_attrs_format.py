# attack: `case str(format=fmt)` fetches the real bound str.format, bypassing the runtime format-field check
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    fmt = None
    match "{0.__globals__}":
        case str(format=fmt):
            pass
    say("leak: " + fmt(go_to)[:300])
