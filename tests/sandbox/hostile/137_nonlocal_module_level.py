# attack: `nonlocal` at module level (parses with ast.parse but fails to compile)
# expect: rejected
# static: syntax
nonlocal go_to


def task_program():
    go_to("kitchen")
