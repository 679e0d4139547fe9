"""The address book as a Qt table model (tested without windows)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from trubka.core.contacts import Contact
from trubka.core.numbers import display

Index = QModelIndex | QPersistentModelIndex


class ContactsModel(QAbstractTableModel):
    NAME, COMPANY, PHONES, RESPONSIBLE = range(4)

    def __init__(self, country: str = "RU") -> None:
        super().__init__()
        self.rows: list[Contact] = []
        self.country = country

    def set_rows(self, rows: list[Contact]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def contact(self, row: int) -> Contact | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Name"), self.tr("Company"), self.tr("Numbers"),
                    self.tr("Responsible"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        c = self.contact(index.row())
        if c is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            phones = ", ".join(display(p.canonical, self.country) for p in c.phones)
            return (c.name, c.company, phones, c.responsible_ext)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return c
        return None
