"""Virus scanning through a ClamAV daemon (clamd), when ``ATTACHMENTS_CLAMD`` names one:
a Unix socket path (``/var/run/clamav/clamd.ctl``) or ``tcp://host:port``.

The INSTREAM command of clamd (clamd(8)): ``zINSTREAM\\0``, then the data in chunks,
each preceded by its length as 4 bytes in network order, then a chunk of length 0;
the daemon answers ``stream: OK``, ``stream: <signature> FOUND`` or ``... ERROR``,
ended by ``\\0``. No client library is needed for that, so none is added."""

import socket
import struct

from django.conf import settings

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


class ScanUnavailable(Exception):
    """The daemon named by the settings did not answer: the file is not accepted."""


def _connect(address: str) -> socket.socket:
    if address.startswith("tcp://"):
        host, _sep, port = address.removeprefix("tcp://").rpartition(":")
        return socket.create_connection((host, int(port)), timeout=TIMEOUT_SECONDS)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(TIMEOUT_SECONDS)
    sock.connect(address.removeprefix("unix://"))
    return sock


def _answer(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            break
        reply += part
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def ping(address: str) -> bool:
    """Whether a daemon answers at ``address``."""
    try:
        with _connect(address) as sock:
            sock.sendall(b"zPING\0")
            return _answer(sock) == "PONG"
    except OSError:
        return False


def scan(upload) -> str | None:
    """The name of the virus found in ``upload`` (a file object), or None when it is
    clean or no daemon is configured. Raises ``ScanUnavailable`` when a configured
    daemon cannot be reached or fails, so that an unscanned file is never accepted."""
    address = settings.ATTACHMENTS_CLAMD
    if not address:
        return None
    upload.seek(0)
    try:
        with _connect(address) as sock:
            sock.sendall(b"zINSTREAM\0")
            while chunk := upload.read(CHUNK):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = _answer(sock)
    except OSError as error:
        raise ScanUnavailable(str(error)) from error
    finally:
        upload.seek(0)
    if reply.endswith("FOUND"):
        return reply.removeprefix("stream:").removesuffix("FOUND").strip()
    if reply.endswith("OK"):
        return None
    raise ScanUnavailable(reply)
