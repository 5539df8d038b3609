// The client of Playpen's host tools for Python, preinstalled as /playpen/python/playpen_tools.py.
// Kept as a string so the core needs no bundler to load it (the CLI runs it under plain Node).
export const playpenTools = String.raw`
"""Call Playpen's host tools. Each tool is a file, /host/<name>: write a JSON
request to it, then read the JSON reply. A reply {"error": ...} (a denial, a bad
request, a failure) raises ToolError; the program keeps running otherwise.

    import playpen_tools as tools
    tools.kv_set("visits", 1)
    page = tools.http_get("https://example.com/")   # {status, headers, body, truncated}
    print(tools.call("my_tool", text="hi"))         # a tool defined on the page
"""
import json
import os

__all__ = ["ToolError", "call", "tools", "http_get", "kv_get", "kv_set", "secret"]


class ToolError(Exception):
    """The tool refused the call or failed; the message says why."""


def call(tool, **request):
    """Calls tool with the keyword arguments as its JSON request; returns the parsed reply."""
    try:
        reply = exchange("/host/" + tool, request)
    except FileNotFoundError:
        if not os.path.isdir("/host"):
            raise ToolError("this sandbox has no host tools (they need the gated engine)") from None
        raise ToolError(f"there is no tool named {tool!r}; see tools()") from None
    if isinstance(reply, dict) and "error" in reply:
        raise ToolError(reply["error"])
    return reply


def exchange(path, request):
    """One call through a host file: the request written as JSON, the parsed JSON reply read back."""
    fd = os.open(path, os.O_RDWR)
    try:
        data = json.dumps(request).encode()
        while data:
            data = data[os.write(fd, data):]
        # The first read makes the call; read until end-of-file for the whole reply.
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return json.loads(b"".join(chunks))


def tools():
    """The names of the tools this sandbox offers."""
    return sorted(os.listdir("/host"))


def http_get(url, **options):
    """GET through the policy's network rules: {status, headers, body, truncated}."""
    return call("http", url=url, **options)


def kv_get(key, default=None):
    """The value stored under key in this sandbox, or default."""
    reply = call("kv", op="get", key=key)
    return reply["value"] if reply["found"] else default


def kv_set(key, value):
    """Stores any JSON value under key; it stays for later runs in this sandbox."""
    call("kv", op="set", key=key, value=value)


def secret(name):
    """The value of a secret the policy grants."""
    return call("secrets", name=name)["value"]
`;
