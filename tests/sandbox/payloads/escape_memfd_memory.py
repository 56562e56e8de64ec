# class: escape from the memory limit: a child that got past the Python layer holds memory its address-space limit does not count (memory files, memfd_create: 1 MB each under the file-size limit, one per descriptor, 20000 descriptors here: 20 GB of the host's memory at 26 MB of address space); bounded here to 64 MB | stopped by: OS isolation (seccomp: memfd_create fails with EPERM; /tmp and /dev/shm are read-only, System V shared memory denied)
# mode: job
# expect: no-escape
import errno
import os

held, why = [], "ok"
try:
    for _ in range(TASK.get("megabytes", 64)):
        fd = os.memfd_create("held")
        os.write(fd, b"\0" * (1 << 20))
        held.append(fd)
except OSError as e:
    why = errno.errorcode[e.errno]
RESULT["message"] = f"memory files held: {len(held)} MB ({why})"
