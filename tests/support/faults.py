"""Real faults for the tests: a full disk (a small tmpfs filled to the last byte), a build lock held by another
process (read from ``/proc/locks``), and a database that goes away (its SQLite folder replaced by a file, or a TCP
proxy in front of PostgreSQL that is cut).

>>> with full_disk(tmp / "index-disk", size_kb=2048) as disk:     # doctest: +SKIP
...     disk.fill()
"""

import contextlib
import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path


class Disk:
    """A mounted tmpfs; ``fill()`` takes every free byte, ``free()`` gives them back."""

    def __init__(self, path):
        self.path = Path(path)
        self.filler = self.path / ".filler"

    def fill(self):
        """Write until the disk is full (ENOSPC)."""
        with open(self.filler, "ab") as fh:
            block = b"\0" * 65536
            try:
                while True:
                    fh.write(block)
                    fh.flush()
            except OSError:
                pass
        for size in (4096, 512, 1):
            try:
                with open(self.filler, "ab") as fh:
                    while True:
                        fh.write(b"\0" * size)
                        fh.flush()
            except OSError:
                continue
        return self

    def free(self):
        """Remove the filler."""
        self.filler.unlink(missing_ok=True)


@contextlib.contextmanager
def small_disk(path, size_kb):
    """A tmpfs of ``size_kb`` mounted at ``path`` (root only); None when this machine does not allow the mount."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield Disk(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def lock_held(path):
    """Whether some process holds a flock on ``path`` now (from ``/proc/locks``, without taking it)."""
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:
        return False
    with open("/proc/locks") as fh:
        return any(line.split()[1] == "FLOCK" and line.split()[5].endswith(f":{inode}") for line in fh
                   if len(line.split()) > 5)


class SqliteOutage:
    """An SQLite database whose folder can be taken away (replaced by a file: nothing can open the database) and
    given back, as a lost volume would do."""

    def __init__(self, database, folder):
        self.database, self.folder = database, Path(folder)
        self.away = self.folder.with_name(self.folder.name + "-away")

    def start(self):
        """Take the database away (pooled connections are closed first)."""
        self.database.dispose()
        self.folder.rename(self.away)
        self.folder.write_text("not a folder")

    def end(self):
        """Give it back."""
        self.folder.unlink()
        self.away.rename(self.folder)


class TcpProxy:
    """A TCP proxy on 127.0.0.1 in front of a server; ``cut()`` closes every connection and refuses new ones (the
    database is down), ``restore()`` accepts again on the same port."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port, self._listener, self._conns, self._lock = None, None, [], threading.Lock()
        self.restore()

    def restore(self):
        """Accept connections (again) on the proxy's port."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(16)
        self.port, self._listener = listener.getsockname()[1], listener
        threading.Thread(target=self._accept, args=(listener,), name="kb-test-proxy", daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=3)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()

    def cut(self):
        """Close the listener and every open connection."""
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone does not)
        self._listener.close()
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()


def _pipe(source, dest):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            dest.sendall(data)
    except OSError:
        pass
    finally:
        for conn in (source, dest):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


def copy_index(index, dest):
    """Copy an index store into ``dest`` (an existing, possibly mounted, folder)."""
    for item in Path(index).iterdir():
        target = Path(dest) / item.name
        shutil.copytree(item, target) if item.is_dir() else shutil.copy2(item, target)
    return Path(dest)
