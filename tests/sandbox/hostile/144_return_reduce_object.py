# attack: return an object whose __reduce__ runs print() in whichever process unpickles it (the parent?)
# expect: contained
class Souvenir:
    def __reduce__(self):
        return (print, ("ROBOINSTRUCT-PWNED-144: __reduce__ payload executed in the parent",))


def task_program():
    go_to("kitchen")
    say("bringing a souvenir")
    return Souvenir()
