# attack: __builtins__.__import__('os') (module-style __builtins__) to get os
# expect: rejected
# static: yes
def task_program():
    b = __builtins__
    imp = b["__import__"] if isinstance(b, dict) else b.__import__
    os = imp("os")
    os.close(os.open("PWNED_017", os.O_CREAT | os.O_WRONLY))
    go_to("kitchen")
