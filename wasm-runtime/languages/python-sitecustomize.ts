// Playpen's start-up tweaks for CPython on WASI, imported automatically by `site`.
// Kept as a string so the core needs no bundler to load it (the CLI runs it under plain Node).
export const sitecustomize = String.raw`
import os
import sys

# WASI starts every process in "/"; relative paths should mean the run's folder.
os.chdir(os.environ.get("PWD", "/workspace"))


def _input_from_a_pipe():
    """Stdin is never a terminal in Playpen (it is all given before the run), but
    @wasmer/sdk reports descriptor 0 as one whatever it is, so input() would take
    the terminal's path and cut the last character of a final line that has no
    newline. There, input() reads a line from sys.stdin as it does from a pipe.
    (The gated engine reports stdin as a pipe; this does nothing there.)"""
    if sys.stdin is None or not sys.stdin.isatty():
        return
    import builtins

    def input(prompt=""):
        if prompt:
            sys.stdout.write(str(prompt))
            sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError("EOF when reading a line")
        return line[:-1] if line.endswith("\n") else line

    builtins.input = input


_input_from_a_pipe()


class _AfterImport:
    """Runs patch(module) once the module called name has loaded (and only then:
    nothing is imported at start-up that the program does not import itself)."""

    def __init__(self, name, patch):
        self.name = name
        self.patch = patch

    def find_spec(self, name, path=None, target=None):
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            if module.__name__ == name:
                self.patch(module)

        spec.loader.exec_module = exec_module
        return spec


def _asyncio_without_self_pipe(module):
    # WASI has no socketpair(), which asyncio's event loop uses only to be woken from
    # other threads or signal handlers, neither of which a WASI guest has.
    loop = module.BaseSelectorEventLoop
    loop._make_self_pipe = loop._close_self_pipe = loop._write_to_self = lambda self: None


def _sockets_through_the_host(module):
    # Every lookup and connection goes to the host, which decides it by the network rules.
    import _playpen_socket

    _playpen_socket.install()


def _subprocesses_in_the_sandbox(module):
    # A command runs as a nested run in the same sandbox (_playpen_subprocess.py).
    import _playpen_subprocess

    module.Popen = _playpen_subprocess.Popen


def _in_the_sandbox(name):
    def call(*args, **kwargs):
        import _playpen_subprocess

        return getattr(_playpen_subprocess, name)(*args, **kwargs)

    call.__name__ = name
    return call


os.system = _in_the_sandbox("system")
os.popen = _in_the_sandbox("popen")
os.kill = os.killpg = _in_the_sandbox("kill")
sys.meta_path.insert(0, _AfterImport("asyncio.selector_events", _asyncio_without_self_pipe))
sys.meta_path.insert(0, _AfterImport("subprocess", _subprocesses_in_the_sandbox))
sys.meta_path.insert(0, _AfterImport("socket", _sockets_through_the_host))
`;
