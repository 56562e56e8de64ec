# attack: `del` robot API names at top level and inside task_program
# expect: contained
del go_to


def task_program():
    global say
    del say
    pick("apple")
