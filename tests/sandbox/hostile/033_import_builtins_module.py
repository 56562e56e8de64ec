# attack: import builtins and use/replace its open
# expect: rejected
# static: yes
import builtins


def task_program():
    builtins.open("PWNED_033", "w").close()
    builtins.print = say
    go_to("kitchen")
