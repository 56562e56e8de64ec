# attack: except ... as e: e.__traceback__.tb_frame.f_back walk to the verifier's frames
# expect: rejected
# static: yes
def task_program():
    go_to("kitchen")
    try:
        1 / 0
    except ZeroDivisionError as e:
        f = e.__traceback__.tb_frame
        while f is not None:
            if "open" in f.f_builtins:
                f.f_builtins["open"]("PWNED_077", "w").close()
                break
            f = f.f_back
    say("recovered")
