# attack: e.with_traceback(e.__traceback__) round-trip, then tb_next/tb_frame walk
# expect: rejected
# static: yes
def task_program():
    try:
        go_to("kitchen")
        raise ValueError("probe")
    except ValueError as e:
        e2 = e.with_traceback(e.__traceback__)
        tb = e2.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        g = tb.tb_frame.f_back.f_globals if tb.tb_frame.f_back else tb.tb_frame.f_globals
        say("globals: " + ", ".join(sorted(g)[:20]))
