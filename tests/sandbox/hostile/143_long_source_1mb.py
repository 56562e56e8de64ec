# attack: ~1 MB of program text (expanded at load time from the repeat block below)
# expect: contained
def task_program():
    go_to("kitchen")
    note = ""
    # >>> repeat 25000
    note = "padding padding padding padding"  # 1 MB
    # <<< repeat
    say("done " + note[:7])
