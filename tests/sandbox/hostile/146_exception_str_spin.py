# attack: exception whose __str__/__repr__ never return, so formatting the error hangs the verifier's own code
# expect: rejected
class Stubborn(Exception):
    def __str__(self):
        while True:
            pass

    def __repr__(self):
        while True:
            pass


def task_program():
    go_to("kitchen")
    raise Stubborn("catch me")
