# attack: say() messages with lone surrogates, NULs and terminal escape sequences
# expect: contained
def task_program():
    go_to("kitchen")
    say("hello \ud800 world")
    say("nul\x00byte")
    say("\x1b[2J\x1b[31mred alert\x1b[0m")
