# attack: `await` inside a plain def (parses with ast.parse, fails at compile)
# expect: rejected
# static: syntax
def task_program():
    await go_to("kitchen")
    say("done")
