"""Headless Chromium driven over the DevTools protocol (websocket-client), for the HTML report's tests and bench.

`chromium()` starts Debian's chromium with a throw-away profile and yields a `Page`; callers skip when
`find_chromium()` finds none.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--remote-debugging-port=0", "--window-size=1280,900"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Page:
    """One browser tab: send commands, collect events (console messages, exceptions, log entries)."""

    def __init__(self, url: str):
        import websocket

        self.socket = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.socket.settimeout(max(0.1, deadline - time.monotonic()))
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, ready: str = "document.body && document.body.dataset.ready === 'true'",
             timeout: float = 120) -> float:
        """Navigate and wait until `ready` is true; the seconds it took."""
        started = time.monotonic()
        self.call("Page.navigate", url=url)
        while time.monotonic() - started < timeout:
            if self.evaluate(f"!!({ready})"):
                return time.monotonic() - started
            time.sleep(0.05)
        raise TimeoutError(url)

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (CSP violations, failed loads) so far."""
        found = []
        with contextlib.suppress(Exception):
            self.call("Runtime.evaluate", expression="0")  # drain pending events
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text", ""))
        return found

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])


@contextlib.contextmanager
def chromium(binary: str):
    """A headless Chromium with a throw-away profile; yields its first tab as a `Page`."""
    profile = tempfile.mkdtemp(prefix="aelint-chromium-")
    log_path = os.path.join(profile, "stderr.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen([binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=log)
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"chromium exited with {process.returncode}")
            with open(log_path, errors="replace") as log:
                match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", log.read())
            port = int(match[1]) if match else None
            time.sleep(0.05)
        if port is None:
            raise RuntimeError("chromium did not open its DevTools port")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as answer:
            targets = json.load(answer)
        page = Page(next(t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page"))
        for domain in ("Page", "Runtime", "Log"):
            page.call(f"{domain}.enable")
        try:
            yield page
        finally:
            page.socket.close()
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)
