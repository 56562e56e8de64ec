# attack: scan f_globals of every frame above a running generator for the os module
# expect: rejected
def task_program():
    def scan():
        found = []
        f = it.gi_frame
        while f is not None:
            for value in list(f.f_globals.values()):
                if repr(value).startswith("<module 'os'"):
                    found.append(value)
            f = f.f_back
        yield found

    it = scan()
    for os in next(it)[:1]:
        os.close(os.open("PWNED_072", os.O_CREAT | os.O_WRONLY))
    go_to("kitchen")
    say("scanned")
