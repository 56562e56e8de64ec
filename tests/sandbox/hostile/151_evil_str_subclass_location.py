# attack: str subclass with never-returning __eq__/__hash__/__str__ passed to the API (hang inside verifier code)
# expect: contained
class Room(str):
    def __eq__(self, other):
        while True:
            pass

    def __hash__(self):
        while True:
            pass

    def __str__(self):
        while True:
            pass


def task_program():
    go_to(Room("kitchen"))
    say(Room("hello"))
