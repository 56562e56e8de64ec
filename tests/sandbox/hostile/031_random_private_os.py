# attack: private attribute of an allowed module: random._os is the os module
# expect: rejected
import random


def task_program():
    os = random._os
    os.close(os.open("PWNED_031", os.O_CREAT | os.O_WRONLY))
    room = random.choice(get_all_rooms() or ["kitchen"])
    go_to(room)
