"""Reconnect at once when the network comes back or the machine wakes up, instead of
waiting out the backoff: `QNetworkInformation` where a backend exists, and a cheap
wall-clock-vs-monotonic check every 30 s that notices a sleep."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal

from trubka.desktop.qtcompat import emit

log = logging.getLogger("trubka.desktop.network")


class NetworkWatcher(QObject):
    online = Signal()  # the network is back, or the machine just woke up

    def __init__(self, parent: QObject | None = None, check_ms: int = 30_000) -> None:
        super().__init__(parent)
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if QNetworkInformation.loadDefaultBackend():
                info = QNetworkInformation.instance()
                info.reachabilityChanged.connect(self.reachability_changed)
        except Exception as exc:  # no backend here: the backoff still works
            log.info("no network information backend: %s", exc)
        self._wall, self._mono = time.time(), time.monotonic()
        self._timer = QTimer(self, interval=check_ms)
        self._timer.timeout.connect(self.check_resume)
        self._timer.start()

    def reachability_changed(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        log.info("network reachability: %s", reachability)
        if reachability == QNetworkInformation.Reachability.Online:
            emit(self.online)

    def check_resume(self) -> None:
        wall, mono = time.time(), time.monotonic()
        if (wall - self._wall) - (mono - self._mono) > 20:  # the clock ran while we slept
            log.info("resumed from sleep")
            emit(self.online)
        self._wall, self._mono = wall, mono
