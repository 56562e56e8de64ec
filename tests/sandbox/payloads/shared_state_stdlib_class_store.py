# class: cross-candidate state (store to an attribute of a real stdlib class a shim exposes) | stopped by: AST policy (no attribute stores) and one fresh process per candidate
# mode: program
# expect: rejected
# reject: assigning to or deleting an attribute
import collections


def task_program():
    def everyone_succeeds(self, *args, **kwargs):
        go_to("kitchen")
    collections.Counter.update = everyone_succeeds
    say("done")
