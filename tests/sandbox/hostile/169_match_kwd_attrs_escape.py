# attack: match class patterns read attributes from kwd_attrs strings (no Attribute node): type(int) -> object.__subclasses__ -> os globals
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    base = None
    subclasses = None
    init = None
    g = None
    metatype = type(int)
    function_type = type(task_program)
    match int:
        case metatype(__base__=base):
            pass
    match base:
        case metatype(__subclasses__=subclasses):
            pass
    for cls in subclasses():
        if "_wrap_close" in repr(cls):
            match cls:
                case metatype(__init__=init):
                    pass
            match init:
                case function_type(__globals__=g):
                    g["close"](g["open"]("PWNED_169", g["O_CREAT"] | g["O_WRONLY"]))
    say("done")
