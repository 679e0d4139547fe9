"""The Trubka desktop app: tray, call windows, address book, journal, click-to-call."""
