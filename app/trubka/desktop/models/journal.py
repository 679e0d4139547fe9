"""The call journal as a Qt table model: entries newest first, updated in place by id,
missed rows marked until viewed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from trubka.core.model import Direction, JournalEntry, JournalStatus
from trubka.core.numbers import display
from trubka.desktop.qtcompat import emit

Index = QModelIndex | QPersistentModelIndex
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def status_text(entry: JournalEntry) -> str:
    words = {
        JournalStatus.ANSWERED: QCoreApplication.translate("Journal", "answered"),
        JournalStatus.MISSED: QCoreApplication.translate("Journal", "missed")
        if entry.direction is Direction.IN
        else QCoreApplication.translate("Journal", "no answer"),
        JournalStatus.CANCELLED: QCoreApplication.translate("Journal", "cancelled"),
        JournalStatus.BUSY: QCoreApplication.translate("Journal", "busy"),
        JournalStatus.NOT_AVAILABLE: QCoreApplication.translate("Journal", "not available"),
        JournalStatus.NOT_ALLOWED: QCoreApplication.translate("Journal", "not allowed"),
        JournalStatus.NOT_FOUND: QCoreApplication.translate("Journal", "not found"),
        JournalStatus.FAILED: QCoreApplication.translate("Journal", "failed"),
    }
    return words.get(entry.status, entry.status.value)


def when_text(moment: datetime | None, now: datetime | None = None) -> str:
    """Time only for today, date and time otherwise, in the user's locale and zone."""
    if moment is None:
        return ""
    local = moment.astimezone()
    today = (now or datetime.now().astimezone()).date()
    locale = QLocale()
    short = QLocale.FormatType.ShortFormat
    time_text = locale.toString(QTime(local.hour, local.minute, local.second), short)
    if local.date() == today:
        return time_text
    day = locale.toString(QDate(local.year, local.month, local.day), short)
    return day + " " + time_text


def duration_text(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds else ""


class JournalModel(QAbstractTableModel):
    DIRECTION, PARTY, TIME, DURATION, RECORDING, NOTE = range(6)
    note_edited = Signal(JournalEntry, str)  # the entry, its new note

    def __init__(self, country: str = "RU") -> None:
        super().__init__()
        self.rows: list[JournalEntry] = []
        self.unviewed: set[str] = set()
        self.country = country

    def key(self, e: JournalEntry) -> tuple[datetime, str]:
        return (e.started_at or _EPOCH, e.id)

    def set_rows(self, rows: list[JournalEntry]) -> None:
        self.beginResetModel()
        by_id = {e.id: e for e in rows}
        self.rows = sorted(by_id.values(), key=self.key, reverse=True)
        self.endResetModel()

    def extend(self, rows: list[JournalEntry]) -> None:
        """Append an older page (paging), skipping entries already present."""
        have = {e.id for e in self.rows}
        new = [e for e in rows if e.id not in have]
        if new:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(new) - 1)
            self.rows.extend(new)
            self.endInsertRows()

    def upsert(self, entry: JournalEntry, unviewed: bool = False) -> None:
        for row, e in enumerate(self.rows):
            if e.id == entry.id:
                self.rows[row] = entry
                emit(self.dataChanged, self.index(row, 0), self.index(row, 5))
                return
        row = 0
        while row < len(self.rows) and self.key(self.rows[row]) > self.key(entry):
            row += 1
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.insert(row, entry)
        self.endInsertRows()
        if unviewed:
            self.unviewed.add(entry.id)

    def mark_viewed(self) -> None:
        self.unviewed.clear()
        if self.rows:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self.rows) - 1, 5))

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        e = self.entry(index.row())
        if e is None or index.column() != self.NOTE or role != Qt.ItemDataRole.EditRole:
            return False
        if str(value) != e.note:
            emit(self.note_edited, e, str(value))
        return True

    def entry(self, row: int) -> JournalEntry | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def last_call_with(self, phone: str) -> JournalEntry | None:
        return next((e for e in self.rows if phone and e.phone == phone), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Call"),
                self.tr("Number / contact"),
                self.tr("Time"),
                self.tr("Duration"),
                self.tr("Recording"),
                self.tr("Note"),
            )[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == self.NOTE else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        e = self.entry(index.row())
        if e is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.DIRECTION:
                return ("↙ " if e.direction is Direction.IN else "↗ ") + status_text(e)
            if col == self.PARTY:
                number = display(e.phone or e.phone_raw, self.country)
                return f"{e.contact.name} · {number}" if e.contact else number
            if col == self.TIME:
                return when_text(e.started_at)
            if col == self.DURATION:
                return duration_text(e.duration)
            if col == self.RECORDING:
                return "▶" if e.recording_url else ""
            return e.note
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and e.status is JournalStatus.MISSED
            and e.direction is Direction.IN
            and e.id in self.unviewed
        ):
            return QBrush(QColor("#d23b3b"))
        if role == Qt.ItemDataRole.ToolTipRole and col == self.RECORDING and e.recording_url:
            return e.recording_url
        if role == Qt.ItemDataRole.UserRole:
            return e
        return None
