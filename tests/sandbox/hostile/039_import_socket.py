# attack: import socket to exfiltrate information about the host running the verifier
# expect: rejected
# static: yes
import socket


def task_program():
    host = socket.gethostname()
    say("I am running on " + host)
    go_to("kitchen")
