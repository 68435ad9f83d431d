"""Child processes that stop when their parent dies, even by SIGKILL (Linux PR_SET_PDEATHSIG).

Used by `smecyber run` (worker, web server) and the lab (knotd, unbound, the web/mail servers), so that a killed
parent never leaves servers holding the lab's addresses or the platform's port. The kernel ties the signal to
the *thread* that forked, so start such children from a thread that lives as long as they should (the main one).
"""

from __future__ import annotations

import contextlib
import ctypes
import signal

PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True)  # loaded in the parent, so the child only makes one system call


def die_with_parent() -> None:
    """``preexec_fn`` for subprocess.Popen: runs in the child between fork and exec."""
    with contextlib.suppress(OSError, AttributeError):
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
