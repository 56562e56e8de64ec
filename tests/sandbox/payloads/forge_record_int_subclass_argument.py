# class: argument whose recorded form differs from what the child ran: re.I (a RegexFlag, an int subclass) passes the child's isinstance checks as 2 but is recorded as an opaque value; lone surrogates and NULs in strings; a list the program mutates after the call (the record keeps a copy) | stopped by: the judge apart (robosim.record: exact types only, anything else opaque, which the parent's type check refuses: a record can only make its own program fail)
# mode: program
# expect: invalid
import re
import time


def task_program():
    time.sleep(re.I)  # an int subclass: json writes it as 2 on both sides
    say("\ud800\x00")
    opts = ["yes", "no"]
    a = ask("Alice", "ok?", opts)
    opts.append(re.I)
    opts[0] = "changed"
    say(a)
    go_to(re.I)  # not a str: the API's type error in the child and in the parent
