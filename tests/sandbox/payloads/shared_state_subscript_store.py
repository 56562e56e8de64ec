# class: cross-candidate state (item store into something shared: an API callable, a builtin, a shim member) | stopped by: AST policy (item stores only on the program's own variables) and one fresh process per candidate
# mode: program
# expect: rejected
# reject: item assignment is only allowed
import collections


def task_program():
    collections.deque.maxlen[0] = 1
    go_to["kitchen"] = "somewhere else"
