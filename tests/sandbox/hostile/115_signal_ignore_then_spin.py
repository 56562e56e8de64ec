# attack: ignore SIGALRM/SIGXCPU/SIGTERM so alarm- and CPU-limit-based timeouts stop working, then spin
# expect: rejected
# static: yes
import signal


def task_program():
    for sig in (signal.SIGALRM, signal.SIGXCPU, signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)
    signal.alarm(0)
    go_to("kitchen")
    while True:
        pass
