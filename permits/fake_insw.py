"""A small stand-in for the INSW portal's permit endpoint (DOC-05), for development and tests.

It stores every POSTed event (with its Idempotency-Key) and can be told to misbehave:
``mode`` is "ok" (201), "error" (500), "hang" (sleeps longer than any client timeout) or
"reject" (422). Refused connections are simulated by stopping it (``stop()``) and starting it
again on the same port. Control over HTTP too: ``POST /_control {"mode": ...}``,
``GET /_events``.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeInsw:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, path: str = "/insw/permits", token: str | None = None):
        self.host, self.port, self.path, self.token = host, port, path, token
        self.mode = "ok"
        self.hang_seconds = 5.0
        self.received: list[dict] = []  # every request, duplicates included
        self.events: dict[str, dict] = {}  # by Idempotency-Key
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.path}"

    def start(self) -> FakeInsw:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                if self.path == "/_events":
                    with fake.lock:
                        return self._json(200, {"events": list(fake.events.values()), "received": len(fake.received)})
                return self._json(404, {"error": "not found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path == "/_control":
                    fake.mode = json.loads(raw or b"{}").get("mode", "ok")
                    return self._json(200, {"mode": fake.mode})
                if self.path != fake.path:
                    return self._json(404, {"error": "not found"})
                mode = fake.mode
                if mode == "hang":
                    time.sleep(fake.hang_seconds)
                    return self._json(504, {"error": "hung"})
                if mode == "error":
                    return self._json(500, {"error": "internal error"})
                if mode == "reject":
                    return self._json(422, {"error": "rejected"})
                if fake.token and self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self._json(401, {"error": "bad token"})
                key = self.headers.get("Idempotency-Key", "")
                body = json.loads(raw or b"{}")
                with fake.lock:
                    fake.received.append({"key": key, "body": body})
                    duplicate = key in fake.events
                    if not duplicate:
                        fake.events[key] = {"key": key, "body": body}
                return self._json(200 if duplicate else 201, {"received": key, "duplicate": duplicate})

        class Server(ThreadingHTTPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def serve_forever(self) -> None:
        self.start()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            self.stop()
