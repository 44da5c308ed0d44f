"""A pytest plugin: with ``-p summit_book.nbval_warm`` (as scripts/test and the benchmark run
nbval), nbval runs each notebook in a kernel forked warm from a server in this pytest process,
as the build does
(:mod:`summit_book.warm_kernels`); the server starts when the process reaches its first
notebook and stops with it.

The committed outputs nbval compares with are made in ordinary (cold) kernels
(``python -m summit_book.notebooks``), so nbval also checks that a warm kernel gives the
outputs a cold one gave.
"""

from __future__ import annotations

_server = None


def pytest_runtest_setup(item):
    global _server
    if _server is None and type(item).__module__.startswith("nbval"):
        import nbval.kernel

        from .warm_kernels import WarmKernelServer, warm_kernel_manager_class

        _server = WarmKernelServer().start().wait()
        nbval.kernel.KernelManager = warm_kernel_manager_class()


def pytest_unconfigure(config):
    if _server is not None:
        _server.stop()
