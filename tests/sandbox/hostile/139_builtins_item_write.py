# attack: write into __builtins__ to replace builtins for everyone sharing that dict
# expect: rejected
# static: yes
def task_program():
    b = __builtins__
    if isinstance(b, dict):
        b["len"] = lambda obj: 0
        b["print"] = say
    else:
        b.len = lambda obj: 0
    go_to("kitchen")
