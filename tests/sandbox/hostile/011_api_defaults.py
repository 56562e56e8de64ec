# attack: poke at ask.__defaults__ / __kwdefaults__ to poison shared default state of an API function
# expect: rejected
# static: yes
def task_program():
    say("defaults: " + repr(ask.__defaults__) + repr(ask.__kwdefaults__))
    ask.__defaults__ = ("yes",)
    answer = ask("Alice", "Do you want coffee?", ["yes", "no"])
    if answer == "yes":
        go_to("kitchen")
