# attack: gc.get_objects() to find the simulator/verifier objects and tamper with them
# expect: rejected
# static: yes
import gc


def task_program():
    for obj in gc.get_objects():
        if "Simulator" in repr(type(obj)):
            say("found the simulator")
    go_to("kitchen")
