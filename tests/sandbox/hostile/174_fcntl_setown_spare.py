# attack: stop the spare child waiting beside this candidate: fcntl F_SETOWN names its pid (the next one), F_SETSIG makes a pipe's SIGIO a SIGSTOP; kill() itself is denied, this is not kill()
# expect: rejected
# static: yes
import fcntl


def task_program():
    fcntl.fcntl(3, fcntl.F_SETOWN, 4)
    fcntl.fcntl(3, 10, 19)
    go_to("kitchen")
