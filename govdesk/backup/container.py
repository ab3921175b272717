"""The backup container: zstd-compressed, then AES-256-GCM encrypted in authenticated chunks,
streamed (constant memory whatever the size).

Layout: a 48-byte header, then chunks, each a 4-byte big-endian length and its body::

    header = MAGIC (8) | flags (1: 1 = encrypted) | key id (16, zero when not encrypted)
             | salt (16) | chunk size (4) | reserved (3)
    body   = AESGCM(file key).encrypt(nonce = 4 zero bytes | index (8), data,
                                      aad = header | index (8) | final (1))

The file key is HKDF-SHA256(backup key, salt, "govdesk-backup-chunk"), so every file has its
own key and the 64-bit chunk index can be the nonce without ever repeating one under a key.
The AAD binds each chunk to the header (so a changed header fails), to its position and to
whether it is the last: a flipped byte fails that chunk, a moved chunk authenticates only at
another index (named as reordered), a file cut at a chunk boundary lacks its final chunk
(truncated), bytes after the final chunk are named too. Without encryption a chunk's body is
``data | SHA-256(aad | data)``: integrity against damage, not against someone who rewrites.

Only :mod:`cryptography`'s AESGCM and HKDF are used: no primitive is written here.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import zstandard
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from govdesk.backup.keys import key_id
from govdesk.errors import InputRejected

MAGIC = b"GDBKUP01"
HEADER = struct.Struct(">8sB16s16sI3s")
LENGTH = struct.Struct(">I")
CHUNK = 1 << 20  #: plaintext (compressed) bytes a chunk holds
TAG = 16
DIGEST = 32
#: how far around a failing chunk's position a moved chunk is looked for
REORDER_WINDOW = 64


class ContainerDamaged(InputRejected):
    """A container does not read back: :attr:`kind` names how (truncated, corrupt, reordered,
    trailing, not_container, wrong_key), the ``file`` and ``chunk`` parameters where."""

    @property
    def kind(self) -> str:
        return self.code.removeprefix("container_")


@dataclass(frozen=True)
class Written:
    """A finished container: its name, size and SHA-256 on disk, the bytes that went in."""

    name: str
    size: int
    sha256: str
    plain_size: int


def _file_key(key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                info=b"govdesk-backup-chunk").derive(key)


class _Sealer:
    """Seals and opens the chunks of one container (AES-GCM, or a SHA-256 without a key)."""

    def __init__(self, header: bytes, key: bytes | None, salt: bytes) -> None:
        self.header = header
        self.aead = AESGCM(_file_key(key, salt)) if key is not None else None

    def _aad(self, index: int, final: bool) -> bytes:
        return self.header + struct.pack(">QB", index, 1 if final else 0)

    def seal(self, index: int, final: bool, data: bytes) -> bytes:
        aad = self._aad(index, final)
        if self.aead is None:
            return data + hashlib.sha256(aad + data).digest()
        return self.aead.encrypt(b"\0\0\0\0" + struct.pack(">Q", index), data, aad)

    def open(self, index: int, final: bool, body: bytes) -> bytes | None:
        """The chunk's data when it authenticates as chunk ``index`` (``final``), else None."""
        aad = self._aad(index, final)
        if self.aead is None:
            data, digest = body[:-DIGEST], body[-DIGEST:]
            return data if hashlib.sha256(aad + data).digest() == digest else None
        try:
            return self.aead.decrypt(b"\0\0\0\0" + struct.pack(">Q", index), body, aad)
        except InvalidTag:
            return None


class ContainerWriter:
    """Writes a container to ``path``: call :meth:`write` with the plain bytes as they come,
    then :meth:`close` (which fsyncs). Memory: one chunk and zstd's window."""

    def __init__(self, path: Path, key: bytes | None, *, level: int = 3, threads: int = 0
                 ) -> None:
        salt = os.urandom(16)
        kid = bytes.fromhex(key_id(key))[:16] if key is not None else bytes(16)
        self.header = HEADER.pack(MAGIC, 1 if key is not None else 0, kid, salt, CHUNK, b"\0" * 3)
        self.path = path
        self._sealer = _Sealer(self.header, key, salt)
        self._file: BinaryIO = open(path, "xb")  # noqa: SIM115 (closed in close())
        self._hash = hashlib.sha256(self.header)
        self._file.write(self.header)
        self._size = len(self.header)
        self._compress = zstandard.ZstdCompressor(level=level, threads=threads).compressobj()
        self._pending = bytearray()
        self._index = 0
        self.plain_size = 0

    def _emit(self, data: bytes, final: bool) -> None:
        body = self._sealer.seal(self._index, final, data)
        record = LENGTH.pack(len(body)) + body
        self._file.write(record)
        self._hash.update(record)
        self._size += len(record)
        self._index += 1

    def write(self, data: bytes) -> None:
        """Add plain bytes."""
        self.plain_size += len(data)
        self._pending += self._compress.compress(data)
        while len(self._pending) >= CHUNK:
            self._emit(bytes(self._pending[:CHUNK]), False)
            del self._pending[:CHUNK]

    def close(self) -> Written:
        """Write the final chunk, fsync, close; what was written."""
        self._pending += self._compress.flush()
        while len(self._pending) > CHUNK:
            self._emit(bytes(self._pending[:CHUNK]), False)
            del self._pending[:CHUNK]
        self._emit(bytes(self._pending), True)
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return Written(self.path.name, self._size, self._hash.hexdigest(), self.plain_size)

    def abort(self) -> None:
        """Close and remove the unfinished file."""
        self._file.close()
        self.path.unlink(missing_ok=True)


def header_key_id(path: Path) -> str | None:
    """The key id a container was encrypted with (None: not encrypted)."""
    with open(path, "rb") as f:
        raw = f.read(HEADER.size)
    if len(raw) < HEADER.size or raw[:8] != MAGIC:
        raise ContainerDamaged("container_not_container", file=path.name)
    _, flags, kid, _, _, _ = HEADER.unpack(raw)
    return kid.hex() if flags & 1 else None


def _locate(sealer: _Sealer, position: int, body: bytes, name: str) -> ContainerDamaged:
    """Why the chunk at ``position`` does not open: moved from elsewhere, or damaged."""
    low = max(0, position - REORDER_WINDOW)
    for index in range(low, position + REORDER_WINDOW):
        if index != position and any(sealer.open(index, f, body) is not None
                                     for f in (False, True)):
            return ContainerDamaged("container_reordered", file=name, chunk=position, found=index)
    return ContainerDamaged("container_corrupt", file=name, chunk=position)


def _chunks(f: BinaryIO, sealer: _Sealer, name: str) -> Iterator[bytes]:
    index = 0
    while True:
        raw = f.read(LENGTH.size)
        if len(raw) < LENGTH.size:
            raise ContainerDamaged("container_truncated", file=name, chunk=index)
        (length,) = LENGTH.unpack(raw)
        if length > CHUNK + DIGEST + TAG:  # a damaged length: never read a huge "chunk"
            raise ContainerDamaged("container_corrupt", file=name, chunk=index)
        body = f.read(length)
        if len(body) != length:
            raise ContainerDamaged("container_truncated", file=name, chunk=index)
        data = sealer.open(index, False, body)
        if data is not None:
            yield data
            index += 1
            continue
        data = sealer.open(index, True, body)
        if data is None:
            raise _locate(sealer, index, body, name)
        if f.read(1):
            raise ContainerDamaged("container_trailing", file=name, chunk=index)
        yield data
        return


def read_plain(path: Path, key_for: Callable[[str], bytes]) -> Iterator[bytes]:
    """The plain bytes of the container at ``path``, piece by piece, each authenticated before
    it is given out; ``key_for(key id)`` gives the key. Raises :class:`ContainerDamaged` naming
    what is wrong and where (a consumer must treat what it got before as unconfirmed)."""
    name = path.name
    with open(path, "rb") as f:
        header = f.read(HEADER.size)
        if len(header) < HEADER.size or header[:8] != MAGIC:
            raise ContainerDamaged("container_not_container", file=name)
        _, flags, kid, salt, _, _ = HEADER.unpack(header)
        key = None
        if flags & 1:
            key = key_for(kid.hex())
            have = key_id(key)
            if have != kid.hex():
                raise ContainerDamaged("container_wrong_key", file=name, key_id=kid.hex(),
                                       have=have)
        sealer = _Sealer(header, key, salt)
        decompress = zstandard.ZstdDecompressor().decompressobj()
        for data in _chunks(f, sealer, name):
            out = decompress.decompress(data)
            if out:
                yield out
        if not decompress.eof:
            raise ContainerDamaged("container_incomplete", file=name)
