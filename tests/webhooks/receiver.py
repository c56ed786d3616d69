"""A webhook receiver for tests: a real HTTP server on a free loopback port that records every
request and deduplicates events by ``X-Inatrade-Event-Id``, as an integrator's would.

``mode``: "ok" (204), "error" (500 after recording: the receiver saw it but the sender must
retry), "redirect" (302 to another path). ``stop()`` makes it unreachable (connection
refused); ``start()`` brings it back on the same port."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    def __init__(self, path: str = "/hooks/inatrade"):
        self.port = free_port()
        self.path = path
        self.mode = "ok"
        self.requests: list[dict] = []  # every request, duplicates included
        self.events: dict[str, dict] = {}  # by event id
        self.lock = threading.Lock()
        self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                entry = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": raw}
                with receiver.lock:
                    receiver.requests.append(entry)
                    if self.path == receiver.path and receiver.mode in ("ok", "error"):
                        receiver.events.setdefault(entry["headers"].get("x-inatrade-event-id", ""), json.loads(raw))
                mode = receiver.mode
                if mode == "redirect":
                    self.send_response(302)
                    self.send_header("Location", "/elsewhere")
                elif mode == "error":
                    self.send_response(500)
                else:
                    self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
