# attack: user class with __init__ and a catch-all __getattr__ that fabricates robot actions
# expect: contained
class Butler:
    def __init__(self, name):
        self.name = name

    def __getattr__(self, item):
        return lambda *args: say(self.name + " will " + item + " " + " ".join(args))


def task_program():
    jeeves = Butler("Jeeves")
    go_to("dining room")
    jeeves.polish("the silver")
    jeeves.fetch("the newspaper")
