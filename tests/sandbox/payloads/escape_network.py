# class: escape: open the network (connect to a listener on the host's loopback) | stopped by: OS isolation (network namespace; seccomp denies socket)
# mode: job
# expect: no-escape
import socket

opened = []
for addr in (("127.0.0.1", TASK["port"]), ("1.1.1.1", 53)):
    try:
        s = socket.create_connection(addr, timeout=2)
        s.sendall(b"escaped")
        opened.append(addr[0])
    except OSError:
        pass
RESULT["stats"] = {"opened": opened}
