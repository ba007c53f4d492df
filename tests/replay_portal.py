"""A stand-in for the portal on 127.0.0.1: replays recorded answers, or the faults a test asks for.

Each POST path maps to a queue of replies; a reply is (status, body, delay seconds[, headers]).
The body is bytes, or a function that writes to the socket itself (a body dripped byte by
byte). When a queue has one reply left it is replayed for every later request. Requests are
logged.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ReplayPortal:
    def __init__(self):
        self.replies: dict[str, list[tuple[int, bytes, float]]] = {}
        self.log: list[tuple[str, dict]] = []
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                portal.log.append((self.path, payload))
                queue = portal.replies.get(self.path) or [(404, b'{"code":"NOT_FOUND"}', 0)]
                status, body, delay, *extra = queue.pop(0) if len(queue) > 1 else queue[0]
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    for name, value in (extra[0] if extra else {}).items():
                        self.send_header(name, value)
                    if callable(body):
                        self.send_header("Content-Length", str(10**6))
                        self.end_headers()
                        body(self.wfile)
                        return
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on a slow reply, as it should

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # a short poll: shutdown() waits for it (the default 0,5 s cost every test that much)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,),
                                       daemon=True)

    def reply(self, endpoint: str, *replies: tuple[int, bytes, float]) -> None:
        self.replies["/api/v1/reporting/evaluation/" + endpoint] = list(replies)

    def asked(self, endpoint: str) -> int:
        return sum(path.endswith("/" + endpoint) for path, _ in self.log)

    def __enter__(self) -> ReplayPortal:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
