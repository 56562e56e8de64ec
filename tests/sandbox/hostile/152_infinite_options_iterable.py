# attack: ask() options is an endless iterator that lies about its length
# expect: rejected
class Endless:
    def __iter__(self):
        return self

    def __next__(self):
        return "yes"

    def __len__(self):
        return 2


def task_program():
    go_to("Alice's office")
    answer = ask("Alice", "Coffee?", Endless())
    say("Alice said " + answer)
