"""Serving the live site: files from the output folder, a reload script in every HTML page,
and the ledger's errors in a banner while it has any.

Open pages ask ``/__kaoping/events?since=N`` (a long poll): the answer comes when the site's
version passes ``N`` (a rebuild changed files, or the errors changed) or after
``POLL_SECONDS``; the page then reloads itself. Only pages that ``serve`` sends carry the
script and the banner; ``build`` never writes them.
"""
from __future__ import annotations

import html
import json
import mimetypes
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

from ..ledger.problems import Problem, errors_in

EVENTS = "/__kaoping/events"
POLL_SECONDS = 20.0
SETTLE_SECONDS = 30.0  # the longest a workbook request waits for a rebuild to finish
RELOAD_SCRIPT = """<script id="kaoping-live">(function(){var v=%d;
function poll(){fetch("%s?since="+v).then(function(r){return r.json();}).then(function(d){
if(d.version!==v){location.reload();}else{poll();}}).catch(function(){setTimeout(poll,1000);});}
poll();})();</script>
"""
BANNER_STYLE = ("position:sticky;top:0;z-index:9999;margin:0;padding:.6em 1em;"
                "background:#fde8e8;color:#8a1010;border-bottom:2px solid #c00;"
                "font:14px/1.5 monospace;white-space:pre-wrap")


class LiveState:
    """The version open pages wait on, and the errors the banner shows."""

    def __init__(self) -> None:
        self.version = 0
        self.errors: list[Problem] = []
        self.changed = threading.Condition()
        self.settled = threading.Event()  # no rebuild is writing files
        self.settled.set()

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """While a rebuild runs: a workbook asked for meanwhile waits for it (the pages are
        written first and reload; the workbooks follow)."""
        self.settled.clear()
        try:
            yield
        finally:
            self.settled.set()

    def publish(self, problems: Iterable[Problem]) -> None:
        """A rebuild finished: pages reload (to new files, or to the banner's new text)."""
        with self.changed:
            self.errors = errors_in(list(problems))
            self.version += 1
            self.changed.notify_all()

    def wait(self, since: int, timeout: float = POLL_SECONDS) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != since, timeout)
            return self.version


def banner(errors: list[Problem]) -> str:
    """The errors as ``check`` prints them, above the last good page."""
    if not errors:
        return ""
    lines = "\n".join(html.escape(p.format()) for p in errors)
    return (f'<div id="kaoping-errors" role="alert" style="{BANNER_STYLE}">'
            f"台账有 {len(errors)} 个错误，以下页面为最近一次通过校验的版本：\n{lines}</div>\n")


def inject(page: bytes, state: LiveState) -> bytes:
    """The page with the banner after ``<body>`` and the reload script before ``</body>``."""
    text = page.decode("utf-8")
    with state.changed:
        version, errors = state.version, state.errors
    top = banner(errors)
    if top:
        at = text.find("<body")
        at = text.find(">", at) + 1 if at >= 0 else 0
        text = text[:at] + top + text[at:]
    script = RELOAD_SCRIPT % (version, EVENTS)
    end = text.rfind("</body>")
    text = text[:end] + script + text[end:] if end >= 0 else text + script
    return text.encode("utf-8")


def make_handler(root: Path, state: LiveState) -> type[BaseHTTPRequestHandler]:
    """A request handler serving ``root`` with the live additions."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the terminal shows rebuilds, not requests

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == EVENTS:
                since = parse_qs(url.query).get("since", ["-1"])[0]
                version = state.wait(int(since) if since.lstrip("-").isdigit() else -1)
                self.send(json.dumps({"version": version}).encode(), "application/json")
                return
            file = resolve(root, url.path)
            if file is None:
                self.send_error(HTTPStatus.NOT_FOUND, "页面不存在")
                return
            if file.suffix == ".xlsx":
                state.settled.wait(SETTLE_SECONDS)
            data = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if file.suffix == ".html":
                data, kind = inject(data, state), "text/html; charset=utf-8"
            elif kind.startswith("text/") or kind in ("application/json", "text/csv"):
                kind += "; charset=utf-8"
            self.send(data, kind)

        def send(self, data: bytes, kind: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

    return Handler


def resolve(root: Path, url_path: str) -> Path | None:
    """The file a URL names inside ``root`` (``/`` and folders → ``index.html``), or None."""
    parts = [p for p in PurePosixPath(unquote(url_path)).parts if p not in ("/", "")]
    if any(p in (".", "..") or p.startswith(".") for p in parts):
        return None
    file = root.joinpath(*parts)
    if file.is_dir():
        file = file / "index.html"
    return file if file.is_file() else None


def make_server(host: str, port: int, root: Path, state: LiveState) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(root, state))
    server.daemon_threads = True  # waiting long polls do not hold the exit
    return server

