"""Large catalogues load in the background: the window shows the scenario's bodies, sites and
ships at once while a worker thread loads the asteroid catalogues (from the disk cache after
the first time); a busy bar in the status bar says what is loading, and the belt appears
when it is ready. The UI stays responsive (numpy releases the interpreter lock while it
parses or generates)."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar

log = logging.getLogger(__name__)
POLL_MS = 100


class CatalogLoader:
    """Loads a session's deferred catalogues in a worker thread and hands them to the
    AppState on the GUI thread; `busy` while one is under way."""

    def __init__(self, window, state):
        self.window = window
        self.state = state
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalogues")
        self._job: tuple[object, Future, float] | None = None
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: how long a parse takes is not known in advance
        self.bar.setMaximumWidth(120)
        self.bar.setMaximumHeight(14)
        status = window.statusBar()
        status.addWidget(self.label)
        status.addWidget(self.bar)
        self.label.hide()
        self.bar.hide()
        self.timer = QTimer(window)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        state.session_changed.connect(self.start)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self, session=None) -> None:
        """Load the current session's deferred catalogues, if any."""
        session = self.state.session if session is None else session
        if not session.catalogs_pending:
            return
        rows = sum(spec.synthetic or 0 for spec in session.scenario.catalog)
        what = f"{rows:,} asteroids" if rows else "the asteroid catalogue"
        self.label.setText(f"Loading {what}...")
        self.label.setToolTip("The view works meanwhile; the belt appears when it is loaded")
        self.label.show()
        self.bar.show()
        self._job = (session, self._executor.submit(session.load_catalogs), time.perf_counter())
        self.timer.start()

    def wait(self, timeout_s: float = 120.0) -> None:
        """Block until the current load is done and applied (exports, scripts)."""
        if self.busy:
            self._job[1].result(timeout=timeout_s)
            self._poll()

    def _poll(self) -> None:
        if self._job is None:
            self.timer.stop()
            return
        session, future, started = self._job
        if not future.done():
            return
        self._job = None
        self.timer.stop()
        self.label.hide()
        self.bar.hide()
        try:
            catalogs, problems = future.result()
        except Exception as exc:  # noqa: BLE001 (shown, logged, the app keeps running)
            log.exception("loading catalogues failed")
            self.window.statusBar().showMessage(f"Could not load the catalogues: {exc}", 10000)
            return
        if not self.state.add_catalogs(session, catalogs):
            return  # another scenario was opened meanwhile
        count = sum(len(c) for c in catalogs)
        seconds = time.perf_counter() - started
        self.window.statusBar().showMessage(
            f"Loaded {count:,} asteroids in {seconds:.1f} s", 6000)
        if problems:
            self.window.statusBar().showMessage(
                "Catalogue problems: " + "; ".join(str(p) for p in problems[:3]), 15000)

    def close(self) -> None:
        self.timer.stop()
        self._executor.shutdown(wait=False, cancel_futures=True)
