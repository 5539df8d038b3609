// Playpen's subprocesses for ordinary Python code, preinstalled as /playpen/python/_playpen_subprocess.py
// and patched into `subprocess` and `os` when subprocess is imported (sitecustomize). The host's side
// is wasm-runtime/engine/gated/subprocesses.ts. Kept as a string: the core needs no bundler.
export const pythonSubprocess = String.raw`
"""subprocess.run, Popen, os.system and os.popen run the command as a nested run in
the same sandbox: the shell's commands (busybox applets, sh, python, sqlite3,
lua, qjs, ruby, .wasm files), under the same policy, time limit and audit. The
commands rules decide which may start. A child runs to its end before the call
returns (there is no concurrency in the sandbox): pipes between the parent and a
running child, and signals, are not available."""
import base64
import errno
import io
import os
import shlex
import sys

from playpen_tools import exchange

# subprocess's own values (not imported: this module is loaded while subprocess loads).
PIPE, STDOUT, DEVNULL = -1, -2, -3

_CHANNEL = "/host/.process"
_next_pid = [1000]


def _call(**request):
    try:
        reply = exchange(_CHANNEL, request)
    except FileNotFoundError:
        raise OSError(errno.ENOSYS, "playpen: this engine cannot start commands (the gated engine can)") from None
    if "error" in reply:
        raise (PermissionError(errno.EPERM, reply["error"]) if reply.get("kind") == "denied" else OSError(errno.EIO, reply["error"]))
    return reply


def _script(args, shell):
    if shell:
        return os.fsdecode(args if isinstance(args, (str, bytes)) else args[0])
    argv = [args] if isinstance(args, (str, bytes, os.PathLike)) else list(args)
    return " ".join(shlex.quote(os.fsdecode(a)) for a in argv)


def _run(script, stdin=b"", cwd=None, env=None):
    reply = _call(op="run", script=script, stdin=base64.b64encode(stdin).decode(), cwd=os.fspath(cwd) if cwd else os.getcwd(),
                  **({"env": {os.fsdecode(k): os.fsdecode(v) for k, v in env.items()}} if env is not None else {}))
    return reply["exitCode"], base64.b64decode(reply["stdout"]), base64.b64decode(reply["stderr"])


class _StdinCollector(io.BytesIO):
    """What the program writes to a child's stdin, kept until the child runs (close keeps it too)."""

    def close(self):
        self.kept = self.getvalue()


class Popen:
    """Starts the command as a nested run when it can have all of its input: at once, or (stdin=PIPE) at communicate(), wait() or the first read."""

    def __init__(self, args, bufsize=-1, executable=None, stdin=None, stdout=None, stderr=None, preexec_fn=None, close_fds=True,
                 shell=False, cwd=None, env=None, universal_newlines=None, startupinfo=None, creationflags=0, restore_signals=True,
                 start_new_session=False, pass_fds=(), *, user=None, group=None, extra_groups=None, encoding=None, errors=None,
                 text=None, umask=-1, pipesize=-1, process_group=None):
        self.args = args
        self._shell = shell
        self._script = _script(args, shell)
        self._cwd = cwd
        self._env = env
        self._text = bool(text or universal_newlines or encoding or errors)
        self._encoding = encoding or "utf-8"
        self._errors = errors or "strict"
        self._out_target = stdout
        self._err_target = stderr
        self._input = b""
        self.returncode = None
        _next_pid[0] += 1
        self.pid = _next_pid[0]
        self.stdin = self.stdout = self.stderr = None
        self._out = self._err = b""
        if stdin == PIPE:
            self._collector = _StdinCollector()
            self.stdin = io.TextIOWrapper(self._collector, self._encoding, self._errors, write_through=True) if self._text else self._collector
        else:
            self._collector = None
            if stdin not in (None, DEVNULL):
                self._input = stdin.read() if hasattr(stdin, "read") else os.read(stdin, 1 << 30)
                if isinstance(self._input, str):
                    self._input = self._input.encode(self._encoding)
            self._start()
        if stdout == PIPE:
            self.stdout = self._stream(lambda: self._out)
        if stderr == PIPE:
            self.stderr = self._stream(lambda: self._err)

    def _stream(self, data):
        popen = self

        class _Reader(io.RawIOBase):
            def readable(self):
                return True

            def readinto(self, buffer):
                popen._start()
                if not hasattr(self, "_data"):
                    self._data = io.BytesIO(data())
                return self._data.readinto(buffer)

        reader = io.BufferedReader(_Reader())
        return io.TextIOWrapper(reader, self._encoding, self._errors) if self._text else reader

    def _start(self):
        if self.returncode is not None:
            return
        if self._collector is not None:
            self._input = getattr(self._collector, "kept", None) or self._collector.getvalue()
        code, out, err = _run(self._script, self._input, self._cwd, self._env)
        self.returncode = code
        if not self._shell and code in (126, 127):
            # The command itself could not start (not one inside it): the exception Python raises then.
            name = shlex.split(self._script)[0] if self._script.strip() else ""
            first = err.decode(errors="replace").split("\n")[0]
            if f"{name}: command not found" in first:
                raise FileNotFoundError(errno.ENOENT, "No such file or directory (playpen: not a command in the sandbox)", name)
            if f"{name}: Permission denied by" in first:
                raise PermissionError(errno.EACCES, first, name)
        if self._err_target == STDOUT:
            out, err = out + err, b""
        self._out, self._err = out, err
        for data, target, stream in ((out, self._out_target, sys.stdout), (err, self._err_target, sys.stderr)):
            if target is None and data:
                stream.flush()
                stream.buffer.write(data) if hasattr(stream, "buffer") else stream.write(data.decode(errors="replace"))
                stream.flush()
            elif target not in (None, PIPE, DEVNULL, STDOUT) and data:
                target.write(data) if hasattr(target, "write") else os.write(target, data)

    def _decode(self, data, piped):
        if not piped:
            return None
        return data.decode(self._encoding, self._errors) if self._text else data

    def communicate(self, input=None, timeout=None):
        if input is not None:
            if self._collector is None:
                raise ValueError("communicate(input=...) needs stdin=PIPE")
            self._collector.write(input.encode(self._encoding) if isinstance(input, str) else input)
        self._start()
        out = self.stdout.read() if self.stdout is not None else None
        err = self.stderr.read() if self.stderr is not None else None
        return out, err

    def wait(self, timeout=None):
        self._start()
        return self.returncode

    def poll(self):
        self._start()
        return self.returncode

    def send_signal(self, sig):
        # The child ran to its end before the parent got here: there is nothing left to signal.
        self._start()

    def terminate(self):
        self.send_signal(15)

    def kill(self):
        self.send_signal(9)

    def __enter__(self):
        return self

    def __exit__(self, *args):
        for stream in (self.stdout, self.stderr, self.stdin):
            if stream is not None:
                stream.close()
        self.wait()


def system(command):
    code, out, err = _run(os.fsdecode(command))
    for data, stream in ((out, sys.stdout), (err, sys.stderr)):
        if data:
            stream.flush()
            stream.buffer.write(data)
            stream.flush()
    return code << 8


class _PopenFile(io.TextIOWrapper):
    def __init__(self, buffer, finish):
        super().__init__(buffer, "utf-8")
        self._finish = finish

    def close(self):
        super().close()
        return self._finish()


def popen(cmd, mode="r", buffering=-1):
    if mode not in ("r", "w"):
        raise ValueError(f"invalid mode {mode!r}")
    if mode == "r":
        code, out, err = _run(os.fsdecode(cmd))
        if err:
            sys.stderr.buffer.write(err)
        return _PopenFile(io.BytesIO(out), lambda: None if code == 0 else code << 8)
    collector = _StdinCollector()

    def finish():
        code, out, err = _run(os.fsdecode(cmd), collector.kept)
        sys.stdout.buffer.write(out)
        sys.stderr.buffer.write(err)
        return None if code == 0 else code << 8

    return _PopenFile(collector, finish)


def kill(pid, sig):
    """Signalling a process: the host audits the attempt and refuses it."""
    _call(op="kill", pid=int(pid), signal=int(sig))

`;
