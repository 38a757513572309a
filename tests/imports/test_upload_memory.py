"""A refused upload keeps the server's memory flat: the excess is read in chunks and dropped.

The server runs in a subprocess (`runserver`, as `make run` serves Goldset), with a 1 MB
upload limit; its peak memory (VmHWM in /proc) is read before and after each request.
Django's own way of skipping the rest, line by line, held a body without newlines whole.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
UPLOAD_LIMIT = 1 * MB
FIELDS_LIMIT = 48 * MB  # DATA_UPLOAD_MAX_MEMORY_SIZE: the form's fields and JSON bodies
GROWTH_ALLOWED = 16 * MB
TOKEN = "0123456789abcdef0123456789abcdef01234567"
CSRF = "c" * 32
BOUNDARY = "goldset-boundary"
SETUP = f"""
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token
from corpus.models import Corpus, LabelSchema, Membership
owner = get_user_model().objects.create_user("olivia-owner")
schema = LabelSchema.objects.create(key="tiny", name="Tiny")
corpus = Corpus.objects.create(name="News", slug="news", schema=schema)
Membership.objects.create(corpus=corpus, user=owner, role=Membership.Role.OWNER)
Token.objects.create(user=owner, key="{TOKEN}")
session = SessionStore()
session[SESSION_KEY] = str(owner.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
session.create()
print(session.session_key)
"""

pytestmark = pytest.mark.slow


class Server:
    def __init__(self, process: subprocess.Popen, port: int, session: str) -> None:
        self.process = process
        self.port = port
        self.session = session

    def memory(self, field: str) -> int:
        """Return the server process's resident memory (VmRSS) or its peak (VmHWM), in bytes."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        [line] = [line for line in status.splitlines() if line.startswith(f"{field}:")]
        return int(line.split()[1]) * 1024

    def growth(self, send: Callable[[], tuple[int, str]]) -> tuple[int, str, int]:
        """Send a request; return its status, its text and how far the server's peak rose."""
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")  # peak := current
        before = self.memory("VmRSS")
        status, text = send()
        return status, text, self.memory("VmHWM") - before

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Iterator[bytes] | None = None,
        length: int = 0,
        **headers,
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Content-Length": str(length), **headers}
        connection.request(method, path, body=body or iter(()), headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        return response.status, text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("upload-memory")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "IMPORT_DIR": str(folder / "imports"),
        "UPLOAD_MAX_BYTES": str(UPLOAD_LIMIT),
        "DATA_UPLOAD_MAX_MEMORY_SIZE": str(FIELDS_LIMIT),
        "DEBUG": "true",
    }
    manage = [sys.executable, "manage.py"]
    setup = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    session = setup.stdout.strip().splitlines()[-1]
    port = _free_port()
    process = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(process, port, session)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            server.request("GET", "/accounts/login/")
            return
        except OSError:
            time.sleep(0.1)  # polling for the port, not waiting for work
    raise AssertionError("the server did not start within 30 s")


def multipart_file(size: int) -> tuple[Iterator[bytes], int]:
    """Return an import form upload of one file of `size` bytes without a newline."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f'{CSRF}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="files";'
        f' filename="huge.txt"\r\nContent-Type: text/plain\r\n\r\n'
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head
        block = b"x" * MB
        for _ in range(size // MB):
            yield block
        yield tail

    return chunks(), len(head) + size // MB * MB + len(tail)


def upload(server: Server, size: int) -> tuple[int, str]:
    body, length = multipart_file(size)
    return server.request(
        "POST",
        "/corpora/news/import/",
        body=body,
        length=length,
        **{
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Cookie": f"sessionid={server.session}; csrftoken={CSRF}",
        },
    )


def test_the_server_answers_the_import_form(server):
    status, page = server.request(
        "GET", "/corpora/news/import/", Cookie=f"sessionid={server.session}"
    )
    assert status == 200
    assert 'name="files"' in page


def test_an_upload_over_the_limit_is_read_in_chunks_and_dropped(server):
    server.request("GET", "/corpora/news/import/", Cookie=f"sessionid={server.session}")
    # Under the length check: the limit handler stops it as it reads.
    status, page, growth = server.growth(lambda: upload(server, 40 * MB))
    assert status == 200
    assert "The files add up to more than the upload limit of 1.0\xa0MB." in page
    assert growth < GROWTH_ALLOWED, f"the server grew by {growth / MB:.0f} MB"


def test_an_upload_far_over_the_limit_is_refused_from_its_length(server):
    status, page, growth = server.growth(lambda: upload(server, 128 * MB))
    assert status == 413
    assert "The files add up to more than the upload limit of 1.0\xa0MB." in page
    assert growth < GROWTH_ALLOWED, f"the server grew by {growth / MB:.0f} MB"


def test_an_api_body_over_the_limit_gets_a_json_413_and_memory_stays_flat(server):
    size = 96 * MB
    body = b'{"only_missing": "' + b"x" * (size - 20) + b'"}'
    status, text, growth = server.growth(
        lambda: server.request(
            "POST",
            "/api/corpora/news/preannotation-runs/",
            body=iter([body]),
            length=size,
            **{"Content-Type": "application/json", "Authorization": f"Token {TOKEN}"},
        )
    )
    assert status == 413
    assert text == (
        '{"message":"The request body is larger than the limit of 48.0 MB'
        ' (DATA_UPLOAD_MAX_MEMORY_SIZE).","extra":{"limit":50331648}}'
    )
    assert growth < GROWTH_ALLOWED, f"the server grew by {growth / MB:.0f} MB"
