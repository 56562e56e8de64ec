# attack: eval("(" * 10**6) parser-recursion/deep-nesting bomb through eval
# expect: rejected
def task_program():
    go_to("kitchen")
    eval("(" * 10**6 + ")" * 10**6)
    say("parsed")
