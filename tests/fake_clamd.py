"""A ClamAV daemon for tests: it speaks clamd's INSTREAM (``attachments/scanning.py``)
on a Unix socket for one connection, and finds the EICAR test file in what it is sent.
Every test of a file that is scanned uses it (attachments, purchase offers)."""

import socket
import struct
import threading

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    """A daemon speaking clamd's INSTREAM on a Unix socket: finds EICAR, else OK."""

    def __init__(self, path):
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        self.received = b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        connection, _address = self.server.accept()
        with connection:
            command = b""
            while not command.endswith(b"\0"):
                command += connection.recv(1)
            assert command == b"zINSTREAM\0"
            while True:
                size = struct.unpack("!L", self._exactly(connection, 4))[0]
                if size == 0:
                    break
                self.received += self._exactly(connection, size)
            found = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in self.received
            connection.sendall(
                b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0"
            )
        self.server.close()

    @staticmethod
    def _exactly(connection, size):
        data = b""
        while len(data) < size:
            data += connection.recv(size - len(data))
        return data
