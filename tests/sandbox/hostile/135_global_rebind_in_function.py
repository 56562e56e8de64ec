# attack: `global go_to, pick` inside task_program and rebind them to harmless stand-ins
# expect: contained
def task_program():
    global go_to, pick
    go_to = say
    pick = say
    go_to("the vault")
    pick("gold bar")
