"""OS isolation for sandbox processes: what stands behind the Python-level checks.

Two places, one per process kind (see workers.py / worker.py):

- the **zygote** (one per pool slot, trusted code only) is started inside bubblewrap: new
  network, PID (the zygote is its PID 1: no bubblewrap reaper), IPC, UTS and mount namespaces (plus a
  user namespace when not root), the root file system read-only, its own /proc and a minimal /dev,
  all capabilities dropped but the four
  it needs to prepare the children's mount namespace, let them enter it, hand them to `nobody` and kill them
  (as non-root: a private empty read-only /tmp for the zygote and its children instead);
- each **candidate child** it forks, before any untrusted code runs: the candidates' mount
  namespace (see below), real uid/gid `nobody` (when the zygote is root, which is when uids can
  be changed), non-dumpable, no-new-privs, and a seccomp filter that makes exec, sockets, ptrace,
  process and thread creation (fork/vfork/clone: a candidate runs on one thread), signals to other processes (kill and
  its kin, and I/O ownership: fcntl F_SETOWN), another process's resource limits, scheduling or
  priority (`ONLY_SELF`), namespace/mount calls, System V / POSIX IPC objects and inotify instances
  (counted per uid) fail with EPERM.

The candidates' mount namespace is prepared once per zygote (`Confinement.__init__`): a copy of
the zygote's, private (no propagation either way), with an empty read-only tmpfs over /tmp and
/dev/shm; each child enters it with one setns(). The children of one zygote share it, which shares
nothing between them: it holds no writable place (the root is read-only, /tmp and /dev/shm are
empty, read-only, root-owned), and a child, as `nobody` with no capabilities and mount/umount/
setns/unshare denied, cannot change it. (It was one namespace per child, copied and torn down for
every candidate: about a third of a millisecond each, for the same view.) The zygote itself keeps
the host's /tmp (it reads task suites from anywhere).

Nothing here needs privileges a user lacks: bubblewrap (Debian `bubblewrap`) runs unprivileged
wherever the kernel allows user namespaces; seccomp needs no-new-privs only. Where a piece is
missing the pool warns once (one line on stderr) and runs with what there is, or — with
`require_isolation` — refuses (`configure(require=True, error=...)`, set from the CLI's
`--require-isolation`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys

from . import views

# subprocess, shutil and tempfile are imported where the parent probes the machine, not here: a zygote
# imports this module, and subprocess brings `threading`, whose after-fork hook every candidate's
# child would run (about a third of a millisecond of copy-on-write faults per child, for no thread).

NOBODY = 65534
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_CLONE_THREAD = 0x00010000
_CLONE_NEWNS = 0x00020000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REC, _MS_PRIVATE = 0x4000, 1 << 18

# syscalls a candidate never needs: they fail with EPERM (ENOSYS for clone3: libc falls back to clone)
DENIED_SYSCALLS = (
    "execve execveat socket socketpair ptrace process_vm_readv process_vm_writev fork vfork kill tkill "
    "tgkill rt_sigqueueinfo rt_tgsigqueueinfo pidfd_open pidfd_send_signal pidfd_getfd unshare setns "
    "mount umount2 pivot_root chroot bpf keyctl add_key request_key userfaultfd perf_event_open "
    "io_uring_setup setuid setgid setreuid setregid setresuid setresgid setgroups "
    # IPC objects outlive their process and are seen by every process of the zygote's IPC namespace:
    # a candidate must not leave one for the next
    "shmget msgget semget mq_open "
    # memory outside the address-space limit: a memory file's pages count only where mapped (each
    # file 1 MB under the file-size limit, one per descriptor: 20 GB held at 26 MB of address space)
    "memfd_create "
    # counted per uid (max_user_instances, 128): one child's up to it left every other process of its uid
    # without one while it slept, the `nobody` candidates of every slot, or as a user the user's own programs
    "inotify_init inotify_init1 fanotify_init"
).split()

# Every candidate child is `nobody`, and a spare (worker.py) waits beside the running candidate: what
# one process of a uid may do to another of that uid, a child may do only to itself. (syscall, the
# argument, the value it must have): any other value fails with EPERM. Without these a child that got
# past the Python layer stopped or killed the waiting spare (fcntl F_SETOWN/F_SETOWN_EX: the pipe's
# SIGIO, or with F_SETSIG any signal, goes to the owner it names), or set its address-space limit
# (prlimit64) so the next candidate's program failed with "memory limit exceeded", or starved it
# (sched_setscheduler SCHED_IDLE, affinity to a busy core) past the watchdog.
ONLY_SELF = (
    ("prlimit64", 0, 0), ("sched_setaffinity", 0, 0), ("sched_setscheduler", 0, 0), ("sched_setparam", 0, 0),
    ("sched_setattr", 0, 0), ("setpriority", 0, 0), ("setpriority", 1, 0),  # PRIO_PROCESS, itself
    ("ioprio_set", 0, 1), ("ioprio_set", 1, 0),  # IOPRIO_WHO_PROCESS, itself
)
# Threads: none. Every candidate child is `nobody` (one uid for all of them, in every pool slot), and the
# kernel's task limit (RLIMIT_NPROC, child.TASK_LIMIT) counts the tasks of a uid, not of a process: one
# child's threads up to it left every sibling running at that moment unable to start one (an honest
# candidate whose numpy wanted its BLAS pool aborted). Nothing a candidate runs needs a thread: the
# zygote's numerical libraries are single-threaded (workers.THREAD_POOLS_OFF), pybullet's DIRECT mode
# starts none, and the policy refuses `threading`. Tests switch this on to show the attack landing.
CANDIDATE_THREADS = False
# fcntl commands that name a process to signal; the kernel reads the command as 32 bits, so only they count
DENIED_FCNTL = (8, 15, 10)  # F_SETOWN, F_SETOWN_EX, F_SETSIG


class IsolationUnavailable(Exception):
    """Isolation was required (`require_isolation`) but this machine cannot provide it."""


class _Config:
    require = os.environ.get("ROBOINSTRUCT_REQUIRE_ISOLATION") == "1"
    error: type = IsolationUnavailable
    enabled = True  # tests switch the OS layer off (configure(enabled=False)) to test the others alone
    warned = False
    probed: "Status | None" = None


def settings() -> dict:
    return {"require": _Config.require, "error": _Config.error, "enabled": _Config.enabled}


def configure(*, require: bool | None = None, error: type | None = None, enabled: bool | None = None) -> None:
    """Process-wide: refuse instead of warning (`require`), the exception class to refuse with
    (a caller's own, e.g. its user-facing error type), or switch the OS layer off (`enabled`,
    for tests that exercise the other layers alone). ROBOINSTRUCT_REQUIRE_ISOLATION=1 in the
    environment requires it from the start (e.g. on Ray nodes)."""
    if require is not None:
        _Config.require = require
    if error is not None:
        _Config.error = error
    if enabled is not None:
        _Config.enabled = enabled


class Status:
    """What this machine provides: a bubblewrap command that works, the seccomp program, uid drop."""

    def __init__(self, bwrap: list[str] | None, bpf: bytes | None, drop_uid: bool, missing: list[str]):
        self.bwrap, self.bpf, self.drop_uid, self.missing = bwrap, bpf, drop_uid, missing

    @property
    def complete(self) -> bool:
        return not self.missing


def _bwrap_command() -> tuple[list[str] | None, str | None]:
    import shutil
    import subprocess

    exe = shutil.which("bwrap")
    if exe is None:
        return None, "bubblewrap is not installed (Debian: apt-get install bubblewrap)"
    # --as-pid-1: the zygote is its PID namespace's first process (non-dumpable, see Confinement). Bubblewrap's
    # own reaper there had the user's uid as non-root, dumpable and without seccomp, holding the zygote's job
    # and reply pipes: a child opened /proc/1/fd/0 to write frames into the job stream (a shared value
    # redefined for every later candidate) and /proc/1/mem (code outside seccomp). Nothing here needs a
    # reaper: a candidate cannot fork, and the zygote reaps its own children.
    cmd = [exe, "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
           "--die-with-parent", "--new-session", "--as-pid-1", "--ro-bind", "/", "/"]
    if os.geteuid() == 0:
        # The zygote sees the host's files read-only (it reads task suites from anywhere); each child
        # enters the candidates' mount namespace (empty read-only /tmp), then becomes `nobody`.
        cmd += views.python_binds()
        # CAP_SYS_ADMIN and CAP_SYS_CHROOT: setns() into the candidates' mount namespace (Confinement);
        # CAP_KILL: a child handed to `nobody` is killed once it replied (worker._collect), whatever it
        # does next (the PID namespace holds only the zygote's own processes)
        cmd += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/", "--cap-drop", "ALL",
                "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SYS_ADMIN",
                "--cap-add", "CAP_SYS_CHROOT", "--cap-add", "CAP_KILL"]
    else:  # unprivileged: a user namespace; the zygote and its children share a private empty /tmp, and
        # keep the user's uid: what it may read they may, but for the home's dot-entries (views.home_binds)
        # and the user's runtime directory (views.runtime_binds)
        # (and /dev/shm empty and read-only too: bubblewrap's own was writable, a place for one candidate
        # to leave something for the next, or to fill the host's memory 1 MB file by file; so was /dev
        # itself, bubblewrap's tmpfs owned by the user: read-only once built, its devices stay writable)
        cmd += ["--tmpfs", "/tmp", "--remount-ro", "/tmp", *views.home_binds(), *views.runtime_binds(),
                "--proc", "/proc", "--dev", "/dev",
                "--tmpfs", "/dev/shm", "--remount-ro", "/dev/shm", "--remount-ro", "/dev", "--chdir", "/",
                "--unshare-user", "--cap-drop", "ALL"]
    try:
        probe = subprocess.run(cmd + ["--", sys.executable, "-c", "pass"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"bubblewrap cannot start ({e})"
    if probe.returncode != 0:
        why = probe.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        return None, f"the kernel refuses namespaces to bubblewrap ({why[0]})"
    return cmd + ["--"], None


def _seccomp_program() -> tuple[bytes | None, str | None]:
    try:
        import pyseccomp as sc
    except ImportError:
        return None, "pyseccomp is not installed (pip install pyseccomp)"
    except OSError as e:  # the package is there, libseccomp.so is not
        return None, f"libseccomp is missing ({e})"
    try:
        f = sc.SyscallFilter(defaction=sc.ALLOW)
        for name in DENIED_SYSCALLS:
            try:
                f.add_rule(sc.ERRNO(errno.EPERM), name)
            except (RuntimeError, ValueError, OSError):
                pass  # a syscall this architecture does not have
        for name, arg, value in ONLY_SELF:
            f.add_rule(sc.ERRNO(errno.EPERM), name, sc.Arg(arg, sc.NE, value))
        for command in DENIED_FCNTL:
            f.add_rule(sc.ERRNO(errno.EPERM), "fcntl", sc.Arg(1, sc.MASKED_EQ, 0xFFFFFFFF, command))
        if CANDIDATE_THREADS:
            f.add_rule(sc.ERRNO(errno.EPERM), "clone", sc.Arg(0, sc.MASKED_EQ, _CLONE_THREAD, 0))
        else:
            f.add_rule(sc.ERRNO(errno.EPERM), "clone")
        f.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
        import tempfile

        with tempfile.TemporaryFile() as fh:
            f.export_bpf(fh)
            fh.seek(0)
            return fh.read(), None
    except Exception as e:  # noqa: BLE001 - any failure of the binding is "no seccomp here"
        return None, f"seccomp filter cannot be built ({type(e).__name__}: {e})"


def status() -> Status:
    """Probe once per process (about 20 ms: one bubblewrap start)."""
    if _Config.probed is None:
        missing = []
        bwrap, why = _bwrap_command()
        if why:
            missing.append(why)
        bpf, why = _seccomp_program()
        if why:
            missing.append(why)
        _Config.probed = Status(bwrap, bpf, os.geteuid() == 0 and bwrap is not None, missing)
    return _Config.probed


def zygote_prefix() -> tuple[list[str], dict]:
    """The command prefix a zygote is started with, and the settings its children apply.

    Refuses (raises the configured error) when isolation is required but incomplete; otherwise
    warns once on stderr about what is missing."""
    if not _Config.enabled:
        if _Config.require:
            raise _Config.error("OS isolation of sandbox workers was switched off (refusing: --require-isolation)")
        return [], {"isolate": False}
    st = status()
    if st.missing:
        message = "OS isolation of sandbox workers is incomplete: " + "; ".join(st.missing)
        if _Config.require:
            raise _Config.error(message + " (refusing: --require-isolation)")
        if not _Config.warned:
            _Config.warned = True
            print(f"roboinstruct: warning: {message}; untrusted code runs with the Python-level checks, "
                  f"one process per candidate and resource limits only", file=sys.stderr)
    return (st.bwrap or []), {"isolate": True, "drop_uid": st.drop_uid, "bpf": (st.bpf or b"").hex()}


# -- inside a candidate child (called by worker.py after fork, before any untrusted code) -----------

_libc = None


def _load_libc():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
        _libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
        _libc.setns.argtypes = [ctypes.c_int, ctypes.c_int]
    return _libc


def _prctl(option: int, arg: int) -> None:
    if _libc.prctl(option, arg, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


def _candidates_mount_ns() -> int:
    """Prepared once per zygote: a private copy of its mount namespace with an empty read-only /tmp
    and /dev/shm, held open by the returned descriptor; the zygote itself goes back to its own."""
    own = os.open("/proc/self/ns/mnt", os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _libc.unshare(_CLONE_NEWNS) != 0:
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS) failed")
        # private: nothing mounted here shows in the zygote's namespace, nor the other way
        if _libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
            raise OSError(ctypes.get_errno(), "cannot make the candidates' mounts private")
        flags = _MS_RDONLY | _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
        for where in (b"/tmp", b"/dev/shm"):
            if os.path.isdir(where) and _libc.mount(b"tmpfs", where, b"tmpfs", flags, b"size=4k,mode=0755") != 0:
                raise OSError(ctypes.get_errno(), f"cannot mount an empty {where.decode()}")
        candidates = os.open("/proc/self/ns/mnt", os.O_RDONLY)
    finally:
        if _libc.setns(own, _CLONE_NEWNS) != 0:  # never stay in it: the zygote reads the host's /tmp
            raise OSError(ctypes.get_errno(), "setns back to the zygote's mount namespace failed")
        os.close(own)
    return candidates


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class Confinement:
    """Built in the zygote from zygote_prefix()'s settings; `apply()` runs in each child."""

    def __init__(self, settings: dict):
        self.isolate = bool(settings.get("isolate"))
        self.drop_uid = bool(settings.get("drop_uid"))
        bpf = bytes.fromhex(settings.get("bpf", ""))
        self._buf = ctypes.create_string_buffer(bpf, len(bpf)) if bpf else None
        self._prog = _SockFprog(len(bpf) // 8, ctypes.addressof(self._buf)) if bpf else None
        _load_libc()  # here, once: a child only calls it
        self.mount_ns: int | None = None  # a descriptor of the candidates' mount namespace
        if self.isolate:  # the zygote too: a child of the same uid cannot open /proc/<zygote>/fd/*
            _prctl(_PR_SET_DUMPABLE, 0)
        if self.isolate and self.drop_uid:
            self.mount_ns = _candidates_mount_ns()

    def _enter_mount_ns(self) -> None:
        """The candidates' mount namespace (empty read-only /tmp and /dev/shm); the descriptor closed."""
        if _libc.setns(self.mount_ns, _CLONE_NEWNS) != 0:
            raise OSError(ctypes.get_errno(), "setns(CLONE_NEWNS) failed")
        os.close(self.mount_ns)

    def apply(self) -> None:
        _prctl(_PR_SET_PDEATHSIG, 9)  # the zygote gone (killed by the pool's watchdog): so is the child
        _prctl(_PR_SET_DUMPABLE, 0)  # no /proc/<pid>/mem or ptrace into it from its sibling candidates
        if not self.isolate:
            return
        if self.drop_uid:
            self._enter_mount_ns()
            os.setgroups([])
            os.setresgid(NOBODY, NOBODY, NOBODY)
            os.setresuid(NOBODY, NOBODY, NOBODY)
        _prctl(_PR_SET_NO_NEW_PRIVS, 1)
        if self._prog is not None:
            if _libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(self._prog), 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "seccomp filter could not be loaded")
