# attack: bytearray(10**10) zero-filled 10 GB buffer
# expect: rejected
def task_program():
    buf = bytearray(10**10)
    go_to("kitchen")
    say(str(len(buf)))
