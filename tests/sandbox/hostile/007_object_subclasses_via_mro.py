# attack: get object without dunders via type(()).mro()[-1], then object.__subclasses__() to find FileLoader
# expect: rejected
# static: yes
def task_program():
    base = type(()).mro()[-1]
    for cls in base.__subclasses__():
        if "FileLoader" in repr(cls):
            say("found a loader: " + repr(cls))
            data = cls("x", "/etc/hostname").get_data("/etc/hostname")
            say("hostname is " + repr(data))
    go_to("kitchen")
