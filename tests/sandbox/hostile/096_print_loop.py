# attack: print in an infinite loop (output flood + no termination)
# expect: rejected
def task_program():
    go_to("kitchen")
    while True:
        print("beep " * 200)
