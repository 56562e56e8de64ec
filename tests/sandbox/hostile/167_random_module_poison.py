# attack: reseed and monkeypatch the shared random module (the verifier may use it to pick paths/world states)
# expect: contained
import random


def task_program():
    random.seed(0)
    random.random = lambda: 0.0
    random.choice = lambda seq: seq[0]
    random.shuffle = lambda seq, *args: None
    random.randrange = lambda *args: 0
    go_to("kitchen")
    say("lucky")
