import { sitecustomize } from "./python-sitecustomize.ts";
import { playpenTools } from "./python-tools.ts";
import { pythonSocket, pythonSsl } from "./python-socket.ts";
import { pythonSubprocess } from "./python-subprocess.ts";
import type { Interpreter } from "./index.ts";

/** CPython (compiled to WASI, stdlib built in) runs the user's code saved as /workspace/main.py. */
export const python: Interpreter = {
  title: "Python 3.12",
  runtime: "python",
  command: "python",
  // CPython searches for its landmarks (pyvenv.cfg, lib/python3.12/os.py…) beside argv[0]: under /playpen, not /.
  argv0: "/playpen/python/bin/python",
  extensions: [".py"],
  editorLanguage: "python",
  scriptPath: "/workspace/main.py",
  files: {
    "/playpen/python/sitecustomize.py": sitecustomize,
    // `import playpen_tools`: the client of the host tools under /host.
    "/playpen/python/playpen_tools.py": playpenTools,
    // Sockets and TLS through the host, decided by the network rules (tools/socket-calls.ts).
    "/playpen/python/_playpen_socket.py": pythonSocket,
    "/playpen/python/ssl.py": pythonSsl,
    // Subprocesses as nested runs in the same sandbox (engine/gated/subprocesses.ts).
    "/playpen/python/_playpen_subprocess.py": pythonSubprocess,
  },
  env: {
    PYTHONPATH: "/playpen/python",
    // Keeps __pycache__ folders out of the user's workspace.
    PYTHONDONTWRITEBYTECODE: "1",
  },
  /** `-u`: the guest's stdout is a pipe, and output should stream as it is printed. */
  args: (userArgs) => ["-u", python.scriptPath, ...userArgs],
};
