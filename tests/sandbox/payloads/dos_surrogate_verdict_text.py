# class: lost batch: a program whose text puts lone surrogates into its verdict (its exception's message, a said line): `verify --jsonl` and `evaluate` wrote rows as UTF-8 and ended the whole run with a UnicodeEncodeError at this row, and again at the same row on every resume (the rows after it never verified); `verify FILE` ended with "unexpected error" | stopped by: artifacts (text written with lone surrogates as their escape, TEXT_ERRORS: JSON reads back the same string) and the CLI's stdout (backslashreplace)
# mode: program
# expect: invalid
def task_program():
    go_to("kitchen")
    say("bad \udc80 byte")
    raise ValueError("bad \udc80 byte \ud800 here")
