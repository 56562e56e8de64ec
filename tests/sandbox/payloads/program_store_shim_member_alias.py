# class: shared stdlib state: a store to a shim member through an alias (`c = collections.Counter; c.update = ...`), so the root of the store is not a shim name | stopped by: AST policy (no attribute stores at all in robot programs)
# mode: program
# expect: rejected
# reject: assigning to or deleting an attribute
import collections


def task_program():
    c = collections.Counter
    c.update = say
    say("done")
