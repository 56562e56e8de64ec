# attack: ask() options is a real list subclass whose __iter__ never ends (passes isinstance(x, list))
# expect: contained
class Options(list):
    def __iter__(self):
        while True:
            yield "yes"


def task_program():
    go_to("Alice's office")
    answer = ask("Alice", "Coffee?", Options(["yes", "no"]))
    say("Alice said " + answer)
