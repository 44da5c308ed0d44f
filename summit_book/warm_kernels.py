"""Kernels that start warm: the build's notebooks run in kernels forked from one process that
has already imported Python's kernel machinery, pandas, matplotlib and this package.

A kernel normally spends about 2 s starting Python and importing those modules before a
notebook's first line runs, and the build starts one kernel per notebook. Here one *server*
process pays the imports once; for each kernel it forks a child, which then starts an ordinary
IPython kernel (``ipykernel``'s own start-up code) in the folder, with the environment and
connection file the kernel manager chose. Nothing has run in the server but imports, so each
child starts in the state a fresh kernel reaches after importing the same modules: outputs are
the same as in a cold kernel (``tests/test_warm_kernels.py`` compares every notebook, and
nbval, which runs cold kernels, compares the committed outputs).

The kernel manager starts ``python -m summit_book.warm_kernels -f <connection file>`` (the
*launcher*, a small process that stands for the kernel): it asks the server for a kernel,
forwards the signals it receives to it, and exits when the kernel ends; the kernel ends when
the launcher ends, so stopping the launcher stops the kernel. If no server is running, or the
launcher's interpreter or module path differs from the server's, the launcher becomes an
ordinary cold kernel (``exec`` of ``ipykernel_launcher``).

Use (``summit_book.build`` starts the server as it begins, so that it imports while the data
is validated)::

    with WarmKernelServer():
        ... NotebookClient(notebook, kernel_manager_class=warm_kernel_manager_class(), ...) ...

Modules that must not be imported before a kernel exists, because importing them connects
them to the running kernel (matplotlib's inline backend), are never imported by the server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

#: The environment variable that tells a launcher where the server listens.
SERVER_ENV = "SUMMIT_BOOK_KERNEL_SERVER"
#: Imported once by the server (what the book's notebooks import on their first lines).
WARM_IMPORTS = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
    "pandas", "matplotlib", "matplotlib.pyplot", "myst_nb", "myst_nb.ext.glue",
    "IPython.display",
    *(f"summit_book.{name}" for name in (
        "tables", "publish", "cite", "plots", "style", "tracker", "units", "indicators",
        "meeting_pages", "plots_transport", "plots_trade", "plots_culture_security",
        "positions", "commitments", "source_quality", "press", "growth", "trade",
        "water_energy", "analysis_minerals_digital", "home", "datadoc", "second_audit")),
)
#: Imported by a kernel only once it runs: matplotlib's inline backend hooks itself into the
#: kernel that imports it, so a server that imported it would fork kernels without the hook.
NEVER_WARM = ("matplotlib_inline.backend_inline",)
#: What ipykernel sets before matplotlib is imported in a kernel (the server does the same).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
READY = b"ready\n"


def _module_path() -> list[str]:
    """``sys.path`` as a kernel has it: without the launch folder, as ipykernel_launcher does
    (IPython puts the working folder back when the kernel starts)."""
    path = list(sys.path)
    if path and (path[0] == "" or Path(path[0]) == Path.cwd()):
        del path[0]
    return path


# --- the server ------------------------------------------------------------------------------

def serve(socket_path: str) -> None:
    """Import :data:`WARM_IMPORTS`, listen on ``socket_path`` and fork a kernel per request."""
    from importlib import import_module

    sys.path[:] = _module_path()
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    # Read by ipykernel when it is imported: the process that manages the kernels, which the
    # kernel manager names to its kernels and which started this server.
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    for name in WARM_IMPORTS:
        import_module(name)
    leaked = [name for name in NEVER_WARM if name in sys.modules]
    if leaked:
        raise SystemExit(f"warm kernels: {', '.join(leaked)} was imported by the server")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernels are reaped by the system
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(16)
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    while True:
        connection, _ = listener.accept()
        with connection.makefile("rb") as reader:
            request = json.loads(reader.readline() or b"null")
        if not isinstance(request, dict) or request.get("path") != sys.path \
                or request.get("executable") != sys.executable:
            connection.sendall(b"cold\n")  # the launcher starts an ordinary kernel
            connection.close()
            continue
        if os.fork() == 0:
            listener.close()
            _become_kernel(connection, request)  # never returns
        connection.close()


def _become_kernel(connection: socket.socket, request: dict) -> None:
    """In the forked child: take the launcher's folder, environment and standard streams, end
    with the launcher, and run ipykernel's own start-up."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()  # a session of its own, as the kernel manager gives a kernel
        launcher = int(request["launcher_pid"])
        for fd in (0, 1, 2):
            try:
                stream = os.open(f"/proc/{launcher}/fd/{fd}", os.O_RDWR if fd else os.O_RDONLY)
            except OSError:
                continue
            os.dup2(stream, fd)
            os.close(stream)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _end_with(launcher)
        connection.sendall(f"pid {os.getpid()}\n".encode())
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _end_with(pid: int) -> None:
    """Exit this process as soon as process ``pid`` ends (a thread waits on its pidfd)."""
    descriptor = os.pidfd_open(pid)

    def wait() -> None:
        import select

        select.select([descriptor], [], [])
        os._exit(1)

    threading.Thread(target=wait, name="end-with-launcher", daemon=True).start()


# --- the launcher ----------------------------------------------------------------------------

def launch(argv: list[str]) -> int:
    """Stand for a kernel forked by the server; become a cold kernel if there is none."""
    address = os.environ.get(SERVER_ENV)
    reply = b""
    if address:
        try:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.connect(address)
            request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ),
                       "launcher_pid": os.getpid(), "path": _module_path(),
                       "executable": sys.executable}
            connection.sendall(json.dumps(request).encode() + b"\n")
            reader = connection.makefile("rb")
            reply = reader.readline()
        except OSError:
            reply = b""
    if not reply.startswith(b"pid "):
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])
    kernel = int(reply.split()[1])

    def forward(signum, frame):
        try:
            os.kill(kernel, signum)
        except ProcessLookupError:
            pass
        if signum == signal.SIGTERM:
            sys.exit(128 + signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(signum, forward)
    while reader.read(1):  # the kernel holds the other end until it exits
        pass
    return 0


# --- the server's owner ----------------------------------------------------------------------

class WarmKernelServer:
    """The server, in a child process with this process's environment (and ``env`` on top),
    which its kernels then also get. :meth:`start` returns at once (the server imports while
    this process goes on); :meth:`wait` waits until it listens and names it in this process's
    environment, so that managers of :func:`warm_kernel_manager_class` started from then on, in
    this process or its children, start their kernels from it; :meth:`stop` ends it. As a
    context manager: start and wait, then stop."""

    def __init__(self, env: dict[str, str] | None = None):
        self.env = env or {}
        self.process: subprocess.Popen | None = None
        self._folder = None

    def start(self) -> "WarmKernelServer":
        self._folder = tempfile.TemporaryDirectory(prefix="summit-kernels-")
        self.address = str(Path(self._folder.name) / "server.sock")
        self.process = subprocess.Popen([sys.executable, "-m", "summit_book.warm_kernels",
                                         "--serve", self.address], stdout=subprocess.PIPE,
                                        env={**os.environ, **self.env})
        self._started = time.monotonic()
        return self

    def wait(self) -> "WarmKernelServer":
        if os.environ.get(SERVER_ENV) == self.address:
            return self
        line = self.process.stdout.readline()
        if line != READY:
            self.stop()
            raise RuntimeError("warm kernels: the server did not start "
                               f"({time.monotonic() - self._started:.1f} s)")
        os.environ[SERVER_ENV] = self.address
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        if os.environ.get(SERVER_ENV) == self.address:
            os.environ.pop(SERVER_ENV)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self._folder.cleanup()
        self.process = None

    def __enter__(self) -> "WarmKernelServer":
        return self.start().wait()

    def __exit__(self, *exc) -> None:
        self.stop()


def warm_kernel_manager_class():
    """jupyter_client's kernel manager, starting the ``python3`` kernel through the launcher
    (give it to nbclient as ``kernel_manager_class``, so that nbclient shuts its kernels down).
    Made on first use: the launcher, which imports this module, never needs jupyter_client."""
    global _WarmKernelManager
    if _WarmKernelManager is None:
        from jupyter_client import KernelManager

        class WarmKernelManager(KernelManager):
            @property
            def kernel_spec(self):
                spec = super().kernel_spec
                if spec is not None and spec.argv[1:3] == ["-m", "ipykernel_launcher"]:
                    spec.argv = [sys.executable, "-m", "summit_book.warm_kernels",
                                 *spec.argv[3:]]
                return spec

        _WarmKernelManager = WarmKernelManager
    return _WarmKernelManager


_WarmKernelManager = None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        serve(argv[1])
        return 0
    return launch(argv)


if __name__ == "__main__":
    sys.exit(main())
