# attack: introspect and swap code objects (task_program.__code__) to rewrite an API function's behaviour
# expect: rejected
# static: yes
def quiet(*args):
    return None


def task_program():
    code = task_program.__code__
    say("my code has " + str(len(code.co_code)) + " bytes and names " + str(code.co_names))
    go_to.__code__ = quiet.__code__
    go_to("the vault")
    say("Done")
