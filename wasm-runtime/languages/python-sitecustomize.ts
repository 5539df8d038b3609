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


class _AsyncioWithoutSelfPipe:
    """WASI has no socketpair(), which asyncio's event loop uses only to be woken
    from other threads or signal handlers, neither of which a WASI guest has.
    Once asyncio.selector_events loads, give its loop a no-op self-pipe."""

    def find_spec(self, name, path=None, target=None):
        if name != "asyncio.selector_events":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            if module.__name__ == name:
                loop = module.BaseSelectorEventLoop
                loop._make_self_pipe = loop._close_self_pipe = loop._write_to_self = lambda self: None

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _AsyncioWithoutSelfPipe())
`;
