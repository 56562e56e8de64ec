# class: escape from the memory limit: a child that got past the Python layer holds kernel memory in pipe buffers (the address-space limit does not count them), one pipe per two descriptors until refused (the inherited descriptor limit was 20000 here, 1M under Docker's default: ~4 GB per child) | stopped by: resource limits (child.FD_LIMIT descriptors: at most ~32 MB of pipe buffers)
# mode: job
# expect: no-escape
import errno
import os

held, why, chunk = [], "ok", b"\0" * 65536
try:
    while len(held) < TASK.get("pipes", 100000):
        r, w = os.pipe()
        os.set_blocking(w, False)
        held += [r, w]
        try:
            os.write(w, chunk)
        except BlockingIOError:
            pass
except OSError as e:
    why = errno.errorcode.get(e.errno, str(e.errno))
RESULT["message"] = f"pipes held: {len(held) // 2} ({why})"
