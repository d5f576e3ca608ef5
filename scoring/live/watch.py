"""The ``serve`` session: first build, the watcher thread, the HTTP server, Ctrl-C.

The watcher (``watchfiles``) watches the ledger folder and the site's source (templates and
static files), never the output folder. On network shares, where file events do not arrive,
``--poll`` or ``KAOPING_POLL=1`` makes it poll instead (``force_polling``).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from ..site import SITE_SRC
from .server import LiveState, make_server
from .site import LiveSite, Rebuilt


def polling_wanted(flag: bool) -> bool:
    return flag or os.environ.get("KAOPING_POLL", "") not in ("", "0")


def watched_paths(ledger_dir: Path) -> list[Path]:
    return [ledger_dir, SITE_SRC]


def watch_loop(live: LiveSite, state: LiveState, stop: threading.Event, poll: bool,
               report: Callable[[Rebuilt], None]) -> None:
    """Rebuild after every batch of saves until ``stop`` is set."""
    outside = live.out_dir.resolve()
    for changes in watch(*watched_paths(live.ledger_dir), stop_event=stop,
                         force_polling=poll, poll_delay_ms=100, debounce=50, step=20,
                         rust_timeout=500, yield_on_timeout=False):
        saved = [Path(p) for _, p in sorted(changes)]
        if all(p.resolve().is_relative_to(outside) for p in saved):
            continue
        with state.rebuilding():
            done = live.rebuild(saved, on_pages=lambda d: state.publish(d.problems))
        if not done.ok:
            state.publish(done.problems)
        report(done)


def serve(ledger_dir: Path, out_dir: Path, host: str, port: int, poll: bool,
          report: Callable[[Rebuilt], None], ready: Callable[[str], None]) -> None:
    """Build, serve and rebuild on save until interrupted (Ctrl-C, SIGINT)."""
    live = LiveSite(ledger_dir, out_dir)
    state = LiveState()
    first = live.rebuild()
    state.publish(first.problems)
    report(first)
    out_dir.mkdir(parents=True, exist_ok=True)
    server = make_server(host, port, out_dir, state)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_loop, daemon=True, name="kaoping-watch",
                               args=(live, state, stop, polling_wanted(poll), report))
    watcher.start()
    ready(f"http://{host}:{server.server_address[1]}/")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
