# class: cross-candidate effect: a child that got past the Python layer starts threads (small stacks, so its address-space limit does not stop them) until refused and holds them; the kernel's task limit counts every task of uid `nobody`, so every candidate child running beside it, in any pool slot, could start none (an honest candidate whose numpy wanted its BLAS pool aborted) | stopped by: OS isolation (seccomp: clone fails with EPERM, threads too; the zygote's numerical libraries are single-threaded)
# mode: job
# expect: no-escape
import threading
import time

threading.stack_size(64 * 1024)
gate, held, why, began = threading.Event(), [], "none", time.monotonic()
while len(held) < TASK.get("threads", 64):
    t = threading.Thread(target=gate.wait, daemon=True)
    try:
        t.start()
    except RuntimeError as e:  # the interpreter's words for a refused clone
        why = str(e)
        break
    held.append(t)
time.sleep(TASK.get("hold", 0.0))
RESULT["message"] = f"threads started: {len(held)}; refused: {why}; in {time.monotonic() - began:.1f} s"
gate.set()
