"""The file system a zygote and its candidate children see: bubblewrap arguments over the read-only root.

Two ways of hiding, one per way the pool runs (isolation._bwrap_command):

- **as root**, children become `nobody`, so what is private to a user is hidden by the file
  permissions themselves; only the interpreter and the package may sit under a private ancestor
  (a pyenv under /root): `python_binds` makes that ancestor an empty tmpfs and binds back, read-only,
  what Python needs;
- **as a user**, children keep the user's uid (bubblewrap's user namespace maps only it), so every
  file the user may read they may too. `home_binds` hides the home's dot-entries (keys, credentials,
  configuration, shell history, caches: `~/.ssh`, `~/.aws`, `~/.config`, `~/.netrc`, ...) behind an
  empty tmpfs and binds back, read-only, the visible entries (projects, a GenSim checkout, data a
  task loads) and the interpreter and packages when they live in a dot-entry (`~/.pyenv`, `~/.venv`,
  `~/.local`). A secret kept in a visible entry stays readable to a child that got past the Python
  layer (it has no network and no writable place; only its verdict message leaves): run as root, or
  as a user of its own, for file permissions to hide it. The user's runtime directory
  (`$XDG_RUNTIME_DIR`, `/run/user/UID`) is the user's alone in the same way (a container registry's
  login, `containers/auth.json`; Kerberos caches; agents' sockets): `runtime_binds` makes it empty.
"""

from __future__ import annotations

import os
import sys


def _needed() -> set[str]:
    """What the interpreter and the package import from (a child imports lazily)."""
    paths = {sys.base_prefix, sys.prefix, os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}
    paths.update(p for p in sys.path if p and os.path.isabs(p))
    paths.update(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.isabs(p))
    return paths


def _traversable(path: str) -> bool:
    """Can `nobody` reach `path` (every ancestor world-searchable)?"""
    parts = os.path.abspath(path).split(os.sep)[1:]
    for i in range(1, len(parts) + 1):
        try:
            if not os.stat(os.sep + os.sep.join(parts[:i])).st_mode & 0o001:
                return False
        except OSError:
            return True  # not there: nothing to bind
    return True


def _bind_back(top: str, path: str) -> list[str]:
    """Directories from `top` (an empty tmpfs) down to `path`'s parent, then `path` bound read-only."""
    rest = path[len(top):].split(os.sep)[1:-1]
    out = [a for i in range(1, len(rest) + 1) for a in ("--perms", "0755", "--dir", top + os.sep + os.sep.join(rest[:i]))]
    return out + ["--ro-bind", path, path]


def python_binds() -> list[str]:
    """Root mode: what Python needs, hidden from `nobody` by a private ancestor, bound back read-only
    in an empty tmpfs over that ancestor (a child sees nothing else there)."""
    out: list[str] = []
    for p in sorted(_needed()):
        p = os.path.realpath(p)
        if os.path.exists(p) and not _traversable(p):
            parts = p.split(os.sep)[1:]
            top = next(os.sep + os.sep.join(parts[:i]) for i in range(1, len(parts) + 1)
                       if not os.stat(os.sep + os.sep.join(parts[:i])).st_mode & 0o001)
            out += ["--perms", "0755", "--tmpfs", top] if top not in out else []
            out += _bind_back(top, p)
    return out


def homes() -> list[str]:
    """The user's home directories ($HOME, and the password database's entry where it differs)."""
    found = {os.path.expanduser("~")}
    try:
        import pwd

        found.add(pwd.getpwuid(os.getuid()).pw_dir)
    except (ImportError, KeyError):
        pass
    # not the root, nor under /tmp: the zygote gets a private empty /tmp anyway
    return sorted(r for r in {os.path.realpath(h) for h in found if h and os.path.isabs(h) and os.path.isdir(h)}
                  if r != os.sep and r != "/tmp" and not r.startswith("/tmp/"))


def home_binds() -> list[str]:
    """User mode: each home an empty tmpfs; its visible entries bound back (symlinks recreated), and
    what Python needs inside its dot-entries, all read-only."""
    out: list[str] = []
    needed: list[str] = []
    for p in sorted({q for p in _needed() for q in (os.path.abspath(p), os.path.realpath(p)) if os.path.exists(q)}):
        if not any(p.startswith(q + os.sep) for q in needed):  # inside one bound already
            needed.append(p)
    for home in homes():
        out += ["--perms", "0755", "--tmpfs", home]
        try:
            entries = sorted(os.listdir(home))
        except OSError:
            continue
        for name in entries:
            path = os.path.join(home, name)
            if name.startswith("."):
                continue
            if os.path.islink(path):
                out += ["--symlink", os.readlink(path), path]
            else:
                out += ["--ro-bind", path, path]
        for p in needed:
            if p.startswith(home + os.sep) and p[len(home) + 1:].startswith("."):
                out += _bind_back(home, p)
        out += ["--remount-ro", home]
    return out


def runtime_dirs() -> list[str]:
    """The user's runtime directories ($XDG_RUNTIME_DIR, /run/user/UID), but one inside a home (hidden
    with its dot-entries, or bound back on purpose) or holding one."""
    found = {os.environ.get("XDG_RUNTIME_DIR", ""), f"/run/user/{os.getuid()}"}
    inside = homes()
    return sorted(r for r in {os.path.realpath(d) for d in found if d and os.path.isabs(d) and os.path.isdir(d)}
                  if r != os.sep and r != "/tmp" and not r.startswith("/tmp/")
                  and not any(r == h or r.startswith(h + os.sep) or h.startswith(r + os.sep) for h in inside))


def runtime_binds() -> list[str]:
    """User mode: each runtime directory an empty read-only tmpfs."""
    return [a for d in runtime_dirs() for a in ("--perms", "0700", "--tmpfs", d, "--remount-ro", d)]
