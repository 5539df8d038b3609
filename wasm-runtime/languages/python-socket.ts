// Playpen's network for ordinary Python code, preinstalled as /playpen/python/_playpen_socket.py
// (patched into `socket` when it is imported) and /playpen/python/ssl.py (CPython on WASI has no
// _ssl: TLS is done by the host, which then still sees each HTTP request it decides on).
// Kept as strings so the core needs no bundler to load them (the CLI runs them under plain Node).
// The host's side is wasm-runtime/tools/socket-calls.ts.
export const pythonSocket = String.raw`
"""Sockets whose every operation goes to the host through /host/.socket: the host
decides each name lookup, connection and HTTP request by the policy's network
rules, audits it, and makes the connection. A denial raises PermissionError
naming the rule and the fix; http.client, urllib and the libraries built on them
work unchanged."""
import base64
import errno as _errno
import socket as _socket_module

from playpen_tools import exchange

_CHANNEL = "/host/.socket"
# Stays under the host's 1 MiB request cap once in base64 and JSON.
_SEND_CHUNK = 512 * 1024
_SERVICES = {"http": 80, "https": 443}


def _call(**request):
    try:
        reply = exchange(_CHANNEL, request)
    except FileNotFoundError:
        raise OSError(_errno.ENETUNREACH, "playpen: this engine gives the program no network (the gated engine does, as its policy allows)") from None
    if "error" in reply:
        raise _exception(reply.get("kind"), reply["error"])
    return reply


def _exception(kind, message):
    if kind == "denied":
        return PermissionError(_errno.EACCES, message)
    if kind == "refused":
        return ConnectionRefusedError(_errno.ECONNREFUSED, message)
    if kind == "reset":
        return ConnectionResetError(_errno.ECONNRESET, message)
    if kind == "timeout":
        return TimeoutError(_errno.ETIMEDOUT, message)
    if kind == "gaierror":
        return _socket_module.gaierror(_socket_module.EAI_NONAME, message)
    if kind == "tls":
        import ssl
        return ssl.SSLError(1, message)
    if kind == "unsupported":
        return OSError(_errno.EOPNOTSUPP, message)
    if kind == "invalid":
        return OSError(_errno.EINVAL, message)
    return OSError(_errno.EHOSTUNREACH, message)


def _port(port):
    if port is None:
        return 0
    if isinstance(port, (bytes, str)):
        text = port.decode() if isinstance(port, bytes) else port
        if text.isdigit():
            return int(text)
        if text in _SERVICES:
            return _SERVICES[text]
        raise _socket_module.gaierror(_socket_module.EAI_SERVICE, f"unknown service {text!r}")
    return int(port)


def _is_address(host):
    try:
        _socket_module.inet_pton(_socket_module.AF_INET6 if ":" in host else _socket_module.AF_INET, host)
        return True
    except (OSError, ValueError):
        return False


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    """Names are looked up by the host once the policy lets the program reach them."""
    port = _port(port)
    if host is None:
        host = "127.0.0.1"
    if isinstance(host, bytes):
        host = host.decode()
    host = host.strip("[]")
    addresses = [host] if _is_address(host) else _call(op="resolve", host=host, port=port)["addresses"]
    results = []
    for address in addresses:
        v6 = ":" in address
        af = _socket_module.AF_INET6 if v6 else _socket_module.AF_INET
        if family not in (0, af):
            continue
        sockaddr = (address, port, 0, 0) if v6 else (address, port)
        results.append((af, _socket_module.SOCK_STREAM, 6, "", sockaddr))
    if not results:
        raise _socket_module.gaierror(_socket_module.EAI_FAMILY, f"{host} has no address of the family asked for")
    return results


def gethostbyname(name):
    for af, _, _, _, sockaddr in getaddrinfo(name, 0, _socket_module.AF_INET):
        return sockaddr[0]


def gethostbyname_ex(name):
    return name, [], [sa[0] for *_, sa in getaddrinfo(name, 0)]


def gethostbyaddr(address):
    raise _socket_module.herror(1, "playpen: reverse lookups are not available in the sandbox")


def getfqdn(name=""):
    return name or "playpen"


class socket:
    """A TCP socket the host holds; only outgoing connections."""

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is not None:
            raise OSError(_errno.EBADF, "playpen: sockets cannot be made from descriptors")
        self.family = _socket_module.AF_INET if family == -1 else family
        self.type = _socket_module.SOCK_STREAM if type == -1 else type
        self.proto = 0 if proto == -1 else proto
        self._id = None
        self._peer = None
        self._timeout = _socket_module.getdefaulttimeout()
        self._closed = False
        self._io_refs = 0

    def __repr__(self):
        return f"<playpen socket {'closed' if self._closed else self._peer or 'unconnected'}>"

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()

    def fileno(self):
        return -1

    def connect(self, address):
        if self._closed:
            raise OSError(_errno.EBADF, "Bad file descriptor")
        if self.type & 0xF != _socket_module.SOCK_STREAM:
            raise OSError(_errno.EOPNOTSUPP, "playpen: only TCP (SOCK_STREAM) connections are available")
        if self._id is not None:
            raise OSError(_errno.EISCONN, "already connected")
        host, port = address[0], address[1]
        if isinstance(host, bytes):
            host = host.decode()
        self._id = _call(op="connect", host=host, port=_port(port))["id"]
        self._peer = (host, _port(port))

    def connect_ex(self, address):
        try:
            self.connect(address)
            return 0
        except OSError as error:
            return error.errno or _errno.EIO

    def _connected(self):
        if self._id is None:
            raise OSError(_errno.ENOTCONN, "Transport endpoint is not connected")
        return self._id

    def send(self, data, flags=0):
        view = memoryview(data).cast("B")[:_SEND_CHUNK]
        return _call(op="send", id=self._connected(), data=base64.b64encode(view).decode())["sent"]

    def sendall(self, data, flags=0):
        view = memoryview(data).cast("B")
        while len(view):
            view = view[self.send(view):]

    def recv(self, bufsize, flags=0):
        timeout = None if self._timeout is None else int(self._timeout * 1000)
        return base64.b64decode(_call(op="recv", id=self._connected(), max=max(1, bufsize), timeoutMs=timeout)["data"])

    def recv_into(self, buffer, nbytes=0, flags=0):
        view = memoryview(buffer).cast("B")
        data = self.recv(nbytes or len(view))
        view[: len(data)] = data
        return len(data)

    def settimeout(self, value):
        self._timeout = None if value is None else float(value)

    def gettimeout(self):
        return self._timeout

    def setblocking(self, flag):
        self._timeout = None if flag else 0.0

    def getblocking(self):
        return self._timeout != 0.0

    def setsockopt(self, *args):
        pass

    def getsockopt(self, *args):
        return 0

    def getpeername(self):
        return self._peer or self._connected()

    def getsockname(self):
        return ("0.0.0.0", 0)

    def bind(self, address):
        _call(op="listen", host=str(address[0]), port=_port(address[1]))

    def listen(self, backlog=0):
        _call(op="listen", host="0.0.0.0", port=0)

    def accept(self):
        _call(op="listen", host="0.0.0.0", port=0)

    def shutdown(self, how):
        _call(op="shutdown", id=self._connected())

    def _start_tls(self, server_name, ca, verify):
        _call(op="starttls", id=self._connected(), serverName=server_name or "", verify=verify, **({"ca": ca} if ca else {}))

    def detach(self):
        raise OSError(_errno.EOPNOTSUPP, "playpen: sockets cannot be detached")

    makefile = _socket_module.socket.makefile

    def _decref_socketios(self):
        if self._io_refs > 0:
            self._io_refs -= 1
        if self._closed:
            self.close()

    def close(self):
        self._closed = True
        if self._io_refs <= 0 and self._id is not None:
            connection, self._id = self._id, None
            try:
                _call(op="close", id=connection)
            except OSError:
                pass


def install():
    """Replaces what the socket module does by itself with the host's decided operations."""
    module = _socket_module
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getfqdn", "socket"):
        setattr(module, name, globals()[name])
    module.SocketType = socket
    # Constants http.client and friends expect that CPython on WASI leaves out.
    for name, value in (("TCP_NODELAY", 1), ("SOL_SOCKET", 1), ("SO_KEEPALIVE", 9), ("SO_REUSEADDR", 2), ("SHUT_RD", 0), ("SHUT_WR", 1), ("SHUT_RDWR", 2)):
        if not hasattr(module, name):
            setattr(module, name, value)
`;

/** `ssl` for CPython on WASI (which has no _ssl): the host does TLS on the socket's connection. */
export const pythonSsl = String.raw`
"""TLS for sandboxed Python, done by the host: wrap_socket asks the host to turn
the connection into TLS (certificates checked by the host, for server_hostname,
against the system's roots or the CA data given here)."""
import os as _os

PROTOCOL_TLS_CLIENT = 16
PROTOCOL_TLS = PROTOCOL_SSLv23 = 2
CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED = 0, 1, 2
HAS_SNI = True
HAS_ALPN = False
OPENSSL_VERSION = "host TLS (Playpen)"
OP_NO_SSLv2 = OP_NO_SSLv3 = OP_NO_COMPRESSION = OP_NO_TICKET = 0
_RESTRICTED_SERVER_CIPHERS = ""


class SSLError(OSError):
    pass


class SSLCertVerificationError(SSLError, ValueError):
    pass


CertificateError = SSLCertVerificationError


class SSLZeroReturnError(SSLError):
    pass


# Named by the standard library at import time (asyncio's sslproto, among others).
class SSLWantReadError(SSLError):
    pass


class SSLWantWriteError(SSLError):
    pass


class SSLSyscallError(SSLError):
    pass


class SSLEOFError(SSLError):
    pass


class SSLSocket:
    """Named by the standard library at import time (ftplib, imaplib…); the host's TLS
    connections are plain socket objects, so nothing is an SSLSocket."""


class SSLObject:
    pass


class MemoryBIO:
    pass


class SSLContext:
    def __init__(self, protocol=PROTOCOL_TLS_CLIENT):
        self.protocol = protocol
        self.check_hostname = protocol == PROTOCOL_TLS_CLIENT
        self.verify_mode = CERT_REQUIRED if protocol == PROTOCOL_TLS_CLIENT else CERT_NONE
        self.post_handshake_auth = None
        self.options = 0
        self._ca = []

    def load_verify_locations(self, cafile=None, capath=None, cadata=None):
        if cafile:
            with open(cafile) as f:
                self._ca.append(f.read())
        if capath:
            for name in sorted(_os.listdir(capath)):
                with open(_os.path.join(capath, name)) as f:
                    self._ca.append(f.read())
        if cadata:
            self._ca.append(cadata if isinstance(cadata, str) else cadata.decode("ascii"))

    def load_default_certs(self, purpose=None):
        pass

    def set_default_verify_paths(self):
        pass

    def set_alpn_protocols(self, protocols):
        pass

    def set_ciphers(self, ciphers):
        pass

    def load_cert_chain(self, certfile, keyfile=None, password=None):
        raise SSLError(1, "playpen: client certificates are not supported")

    def wrap_socket(self, sock, server_side=False, do_handshake_on_connect=True, suppress_ragged_eofs=True, server_hostname=None, session=None):
        if server_side:
            raise SSLError(1, "playpen: a sandboxed program cannot serve TLS")
        sock._start_tls(server_hostname, "\n".join(self._ca) or None, self.verify_mode != CERT_NONE)
        return sock


def create_default_context(purpose=None, *, cafile=None, capath=None, cadata=None):
    context = SSLContext(PROTOCOL_TLS_CLIENT)
    if cafile or capath or cadata:
        context.load_verify_locations(cafile, capath, cadata)
    return context


def _create_unverified_context(*args, **kwargs):
    context = SSLContext(PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = CERT_NONE
    return context


_create_default_https_context = create_default_context


class Purpose:
    SERVER_AUTH = "serverAuth"
    CLIENT_AUTH = "clientAuth"


def wrap_socket(sock, keyfile=None, certfile=None, server_side=False, cert_reqs=CERT_NONE, ca_certs=None, server_hostname=None, **kwargs):
    context = create_default_context(cafile=ca_certs)
    context.verify_mode = cert_reqs
    return context.wrap_socket(sock, server_side=server_side, server_hostname=server_hostname)
`;
