"""A real server process per database backend (SQLite; PostgreSQL started here), shared by
the API tests, with two users: `alice` (most tests) and `bob` (isolation)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from reelforge.store.db import Database, database_url_for
from reelforge.store.users import add_user

from .support import create_project, unique

PG_BIN = Path("/usr/lib/postgresql/15/bin")
MAX_UPLOAD_BYTES = 3_000_000
MAX_IMAGE_PIXELS = 4_000_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """`python -m reelforge.api.server` on a free port, with its output in a file."""

    def __init__(
        self,
        data_dir: Path,
        database_url: str | None = None,
        env: dict[str, str] | None = None,
        **options: Any,
    ) -> None:
        self.data_dir = data_dir
        self.env = env or {}
        self.database_url = database_url
        self.options = {"max_upload_bytes": MAX_UPLOAD_BYTES, "lease_seconds": 3, **options}
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        argv = [sys.executable, "-m", "reelforge.api.server", "--port", str(self.port)]
        argv += ["--data-dir", str(self.data_dir)]
        if self.database_url:
            argv += ["--database-url", self.database_url]
        for name, value in self.options.items():
            argv += [f"--{name.replace('_', '-')}", str(value)]
        env = {**os.environ, "REELFORGE_MAX_IMAGE_PIXELS": str(MAX_IMAGE_PIXELS), **self.env}
        env.setdefault("REELFORGE_CACHE_DIR", str(self.data_dir / "cache"))
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.base_url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """SIGKILL: a crash, with no chance to clean up."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60, **kwargs)


class PostgresCluster:
    """A throwaway PostgreSQL 15 cluster (run as the `postgres` user: initdb refuses root)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="reelforge-pg-"))
        self.port = free_port()

    def _run(self, *argv: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *argv], check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = self.dir / "data"
        self._run(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} "
        options += f"-c unix_socket_directories={self.dir} -c fsync=off -c max_connections=200"
        log = self.dir / "pg.log"
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"
        )
        return self.create_database("reelforge")

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        """A new, empty database in the cluster; returns its URL."""
        self._run(
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            name,
        )
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(
                str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"
            )
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL 15 is not installed ({PG_BIN}): run scripts/setup.sh")
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: PostgresCluster) -> str:
    """The database the shared servers (`deployment`) use."""
    return postgres_cluster.url("reelforge")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def own_database(request: pytest.FixtureRequest) -> str | None:
    """For a test that runs servers of its own: None (SQLite, in their data folder) or a new
    database in the shared PostgreSQL cluster, which no other test's server uses."""
    if request.param == "sqlite":
        return None
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    return cluster.create_database(unique("own").replace("-", "_"))


@dataclass
class Deployment:
    """A running server with its users' API tokens."""

    server: ServerProcess
    backend: str
    alice: str
    bob: str

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        return self.server.client(token, **kwargs)

    @contextlib.contextmanager
    def database(self) -> Iterator[Database]:
        """The server's database, opened from the test (to set up states the API cannot)."""
        db = Database(database_url_for(self.server.data_dir, self.server.database_url))
        try:
            yield db
        finally:
            db.dispose()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def deployment(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    database_url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    data_dir = tmp_path_factory.mktemp(f"server-{request.param}")
    # The webhook tests call a receiver on this machine, which the default settings refuse; the
    # login tests play clients at many addresses through X-Forwarded-For from a trusted proxy.
    env = {"REELFORGE_WEBHOOK_ALLOW_PRIVATE": "true", "REELFORGE_TRUSTED_PROXIES": "127.0.0.1"}
    server = ServerProcess(data_dir, database_url, env=env)
    server.start()
    try:
        tokens = [
            add_user(data_dir=data_dir, name=name, database_url=database_url)
            for name in ("alice", "bob")
        ]
        yield Deployment(server=server, backend=request.param, alice=tokens[0], bob=tokens[1])
    finally:
        server.stop()


@pytest.fixture(scope="module")
def second_server(deployment: Deployment) -> Iterator[ServerProcess]:
    """Another server process on the deployment's database, with the default settings (webhooks
    to public addresses only) but for an allowlisted 127.0.0.2, and running no render jobs (so
    it never sends the webhooks of the other tests)."""
    env = {
        "REELFORGE_WEBHOOK_ALLOW_PRIVATE": "false",
        "REELFORGE_WEBHOOK_ALLOWED_HOSTS": "127.0.0.2/32",
        "REELFORGE_TRUSTED_PROXIES": "127.0.0.1",
    }
    server = ServerProcess(
        deployment.server.data_dir, deployment.server.database_url, env=env, max_render_jobs=0
    ).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def api(deployment: Deployment) -> Iterator[httpx.Client]:
    """A client signed in as alice (bearer token)."""
    with deployment.client(deployment.alice) as client:
        yield client


@pytest.fixture
def bob_api(deployment: Deployment) -> Iterator[httpx.Client]:
    with deployment.client(deployment.bob) as client:
        yield client


@pytest.fixture
def project(api: httpx.Client) -> dict[str, Any]:
    return create_project(api)
