# attack: infinite loop of short sleeps (wall-clock burn, almost no CPU)
# expect: rejected
def task_program():
    go_to("kitchen")
    while True:
        time.sleep(0.5)
