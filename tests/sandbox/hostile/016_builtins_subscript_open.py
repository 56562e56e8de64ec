# attack: __builtins__['open'] to write a file despite open being removed from the program namespace
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    b = __builtins__
    opener = b["open"] if isinstance(b, dict) else b.open
    opener("PWNED_016", "w").close()
    say("Coffee is ready")
