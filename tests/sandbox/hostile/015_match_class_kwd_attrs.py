# attack: structural pattern matching reads attributes via kwd_attrs (no ast.Attribute node): case object(__globals__=g)
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    match go_to:
        case object(__globals__=g):
            b = g["__builtins__"]
            if not isinstance(b, dict):
                match b:
                    case object(__dict__=d):
                        b = d
            b["open"]("PWNED_015", "w").close()
    say("matched")
