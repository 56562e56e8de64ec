# attack: start a background thread that keeps running (and acting) after task_program returns
# expect: rejected
# static: yes
import threading


def task_program():
    def keep_going():
        while True:
            say("still here")

    threading.Thread(target=keep_going, daemon=True).start()
    go_to("kitchen")
