# attack: import posix (the C module behind os) instead of os
# expect: rejected
# static: yes
import posix


def task_program():
    posix.close(posix.open("PWNED_037", 0o101))
    go_to("kitchen")
