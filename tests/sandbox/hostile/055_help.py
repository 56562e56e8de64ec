# attack: help() runs pydoc, which may page through stdin/stdout and import modules
# expect: rejected
def task_program():
    help(go_to)
    go_to("kitchen")
