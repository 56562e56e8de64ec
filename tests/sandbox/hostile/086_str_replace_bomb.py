# attack: str.replace expansion bomb (10**5 chars each replaced by 10**5 chars = 10 GB) in one C call
# expect: rejected
def task_program():
    go_to("kitchen")
    seed = "a" * 10**5
    bomb = seed.replace("a", seed)
    say(str(len(bomb)))
