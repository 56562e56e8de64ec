"""A tiny OpenAI-compatible HTTP server on 127.0.0.1 that misbehaves on command.

Each incoming request takes the next action from `script` (then `default`): a status code
with headers, a slow answer, a malformed body, or a well-formed completion echoing the last
user message. It counts requests and the maximum number in flight at once.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    request_queue_size = 64  # the default backlog of 5 would itself cap concurrency
    daemon_threads = True


class FaultServer:
    def __init__(self, default: tuple = ("ok",), delay: float = 0.0):
        self.script: list[tuple] = []
        self.default = default
        self.delay = delay  # added to every "ok" answer (for concurrency tests)
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):  # keep test output clean
                pass

            def do_GET(self):
                if self.path.endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "fault-model", "object": "model"}]})
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with outer._lock:
                    outer.requests.append({"path": self.path, "body": body})
                    outer.headers.append(dict(self.headers))
                    action = outer.script.pop(0) if outer.script else outer.default
                    outer.in_flight += 1
                    outer.max_in_flight = max(outer.max_in_flight, outer.in_flight)
                try:
                    self._act(action, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test): expected
                finally:
                    with outer._lock:
                        outer.in_flight -= 1

            def _act(self, action, body):
                kind = action[0]
                if kind == "status":
                    _, code, headers = action
                    self._send(code, {"error": {"message": f"injected {code}"}}, headers)
                elif kind == "slow":
                    time.sleep(action[1])
                    self._send(200, outer.answer(self.path, body))
                elif kind == "malformed":
                    raw = b'{"choices": [ this is not json'
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                elif kind == "text":
                    self._send(200, outer.answer(self.path, body, text=action[1]))
                else:
                    time.sleep(outer.delay)
                    self._send(200, outer.answer(self.path, body))

            def _send(self, code, payload, headers=None):
                raw = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @staticmethod
    def answer(path: str, body: dict, text: str | None = None) -> dict:
        if text is None:
            if "messages" in body:
                text = "echo: " + body["messages"][-1]["content"]
            else:
                text = "echo: " + body.get("prompt", "")
            if body.get("seed") is not None:
                text += f" seed={body['seed']}"
        usage = {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
        if path.endswith("/chat/completions"):
            choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        else:
            choice = {"index": 0, "text": text, "finish_reason": "stop"}
        return {"id": "x", "object": "chat.completion", "model": body.get("model"), "choices": [choice], "usage": usage}

    @property
    def count(self) -> int:
        return len(self.requests)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
