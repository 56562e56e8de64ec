# attack: use the implicit __class__ closure name (a Name, not an Attribute) as a dunder foothold
# expect: rejected
# static: yes
class Helper:
    def me(self):
        return __class__


def task_program():
    cls = Helper().me()
    say("class is " + repr(cls))
    for sub in cls.mro()[-1].__subclasses__():
        if "Popen" in repr(sub):
            sub(["touch", "PWNED_014"]).wait()
    go_to("kitchen")
