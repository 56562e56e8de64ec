# attack: time.sleep(10**9) -- blocks without using CPU, so CPU limits alone never fire
# expect: contained
def task_program():
    go_to("kitchen")
    time.sleep(10**9)
    say("good morning")
