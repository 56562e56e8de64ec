# attack: top-level try/except around a forbidden import, so a runtime ImportError would be swallowed
# expect: rejected
# static: yes
try:
    import os
except ImportError:
    os = None


def task_program():
    go_to("kitchen")
    if os is not None:
        os.close(os.open("PWNED_036", os.O_CREAT | os.O_WRONLY))
    say("hi")
