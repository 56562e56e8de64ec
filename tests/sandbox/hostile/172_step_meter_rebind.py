# attack: rebind the injected step meter via an import alias (`as __step__` is not a Name node), then spin
# expect: rejected
# static: yes
from random import random as __step__


def task_program():
    go_to("kitchen")
    while True:
        pass
