# attack: polling loop with `continue` waiting for a condition that never changes
# expect: rejected
def task_program():
    go_to("kitchen")
    checks = 0
    while True:
        checks += 1
        if get_current_location() == "the moon":
            break
        continue
    say("checked " + str(checks) + " times")
