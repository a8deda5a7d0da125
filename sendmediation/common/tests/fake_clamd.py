"""A stand-in for clamd on a Unix socket, speaking its INSTREAM protocol, for tests.

It answers as clamd does: "stream: OK" for a clean stream and "stream: Eicar-Test-Signature FOUND"
when the EICAR test string is in it, each ended by NUL for a "z" command.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from sendmediation.common.tests.files import EICAR


class FakeClamd:
    def __init__(self, path: Path, *, reply: str = "") -> None:
        self.path = str(path)
        # When set, the answer to every stream, as a clamd in trouble might give.
        self.reply = reply
        self.streams: list[bytes] = []
        self.chunk_sizes: list[int] = []
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(self.path)
        self._server.listen(4)
        self._server.settimeout(0.2)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FakeClamd:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self._server.close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        reader = connection.makefile("rb")
        command = b""
        while not command.endswith(b"\0"):
            byte = reader.read(1)
            if not byte:
                return
            command += byte
        if command != b"zINSTREAM\0":
            connection.sendall(b"UNKNOWN COMMAND\0")
            return
        stream = b""
        while True:
            size = struct.unpack(">I", reader.read(4))[0]
            if size == 0:
                break
            self.chunk_sizes.append(size)
            stream += reader.read(size)
        self.streams.append(stream)
        verdict = "stream: Eicar-Test-Signature FOUND" if EICAR in stream else "stream: OK"
        verdict = self.reply or verdict
        connection.sendall(verdict.encode() + b"\0")


@contextlib.contextmanager
def running_clamd(*, reply: str = "") -> Iterator[FakeClamd]:
    """A fake clamd listening in a new short folder (a Unix socket's path must be short)."""
    folder = Path(tempfile.mkdtemp(prefix="clamd-", dir="/tmp"))
    try:
        with FakeClamd(folder / "clamd.sock", reply=reply) as clamd:
            yield clamd
    finally:
        shutil.rmtree(folder, ignore_errors=True)
