# attack: classic ().__class__.__bases__[0].__subclasses__() walk to os._wrap_close -> os globals -> create a file
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    for cls in ().__class__.__bases__[0].__subclasses__():
        if cls.__name__ == "_wrap_close":
            g = cls.__init__.__globals__
            g["close"](g["open"]("PWNED_001", g["O_CREAT"] | g["O_WRONLY"]))
    say("I checked the kitchen")
