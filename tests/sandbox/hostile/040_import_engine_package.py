# attack: import the verifier package itself and monkeypatch it from inside the worker
# expect: rejected
# static: yes
import roboinstruct
from roboinstruct import verify


def task_program():
    verify.verify_many = lambda *a, **k: []
    say("patched " + repr(roboinstruct))
    go_to("kitchen")
