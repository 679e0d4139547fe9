"""Address book (F4) and journal (F5) against a real relay, and their models alone."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt

from tests.desktop.conftest import Desktop, Pbx, add_contact
from trubka.core.model import Direction, JournalEntry, JournalStatus
from trubka.desktop.models.journal import JournalModel

T = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def entry(eid: str, minutes: int, status: JournalStatus = JournalStatus.ANSWERED) -> JournalEntry:
    return JournalEntry(eid, "c" + eid, Direction.IN, status, "+79991234567", "89991234567",
                        started_at=T + timedelta(minutes=minutes), duration=65)


def test_journal_model_orders_and_updates_in_place(qtbot: Any) -> None:
    """Newest first; an entry re-sent (note edited) updates its row, never duplicates."""
    model = JournalModel()
    model.set_rows([entry("a", 1), entry("b", 3)])
    model.upsert(entry("c", 2, JournalStatus.MISSED), unviewed=True)
    assert [e.id for e in model.rows] == ["b", "c", "a"]
    model.upsert(JournalEntry("c", "cc", Direction.IN, JournalStatus.MISSED, "+79991234567",
                              "89991234567", started_at=T + timedelta(minutes=2), note="x"))
    assert len(model.rows) == 3 and model.rows[1].note == "x"
    red = model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole)
    assert red is not None
    model.mark_viewed()
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(0, model.DURATION)) == "1:05"
    assert model.data(model.index(0, model.PARTY)) == "+7 999 123-45-67"
    model.extend([entry("a", 1), entry("z", -5)])
    assert [e.id for e in model.rows] == ["b", "c", "a", "z"]


def test_address_book_search_and_dial(desktop: Desktop, pz_relay: Any, fake_pbx: Any,
                                      qtbot: Any) -> None:
    """Typing searches the relay (debounced); a contact's number dials with one click."""
    token = pz_relay.add_user("Сотрудник", "100")
    add_contact(pz_relay.url, token, name="Иван Петров", company="Ромашка",
                phones=["89991234567"], responsible_ext="100")
    add_contact(pz_relay.url, token, name="Мария Смирнова", company="Вектор",
                phones=["+7 916 222-33-44"])
    app = desktop.start(desktop.make(pz_relay.url, token))
    app.shell.open_directory("book")
    page = app.book_page
    qtbot.waitUntil(lambda: len(app.contacts.rows) == 2, timeout=5000)
    page.search.setText("2223")
    qtbot.waitUntil(lambda: [c.name for c in app.contacts.rows] == ["Мария Смирнова"],
                    timeout=5000)
    assert app.contacts.data(app.contacts.index(0, 2)) == "+7 916 222-33-44"
    page.table.selectRow(0)
    buttons = [page.numbers.itemAt(i).widget() for i in range(page.numbers.count())]
    with qtbot.waitSignal(app.dialer.finished, timeout=10_000):
        buttons[0].click()
    assert fake_pbx.requests[-1].json()["user"] == "100"


def test_address_book_edit_and_delete(desktop: Desktop, pz_relay: Any, qtbot: Any) -> None:
    """Edit in the side panel saves to the relay; delete removes it."""
    token = pz_relay.add_user("Сотрудник", "100")
    add_contact(pz_relay.url, token, name="Иван Петров", phones=["89991234567"])
    app = desktop.start(desktop.make(pz_relay.url, token))
    page = app.book_page
    qtbot.waitUntil(lambda: len(app.contacts.rows) == 1, timeout=5000)
    page.table.selectRow(0)
    page.form.responsible.setText("101")
    page.save_button.click()
    qtbot.waitUntil(lambda: app.contacts.rows and app.contacts.rows[0].responsible_ext == "101",
                    timeout=5000)
    page.new_contact()
    page.form.name.setText("")
    page.save_button.click()
    assert page.error.text() == "A contact needs a name."
    page.table.selectRow(0)
    page.delete_button.click()
    qtbot.waitUntil(lambda: not app.contacts.rows, timeout=5000)
    assert page.stack.currentWidget() is page.empty


def test_journal_filters_note_recording(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                        qtbot: Any) -> None:
    """Journal: live entries, missed filter, note saved to the relay, ▶ opens the recording."""
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.start(desktop.make(pz_relay.url, token, incoming="never"))
    pbx.scenario("incoming-answered")
    pbx.scenario("incoming-missed", phone="84950000001")
    qtbot.waitUntil(lambda: len(app.journal.rows) == 2, timeout=5000)
    assert app.presence.missed == 1
    app.shell.open_directory("journal")
    assert app.presence.missed == 0
    answered = next(e for e in app.journal.rows if e.status is JournalStatus.ANSWERED)
    row = app.journal.rows.index(answered)
    app.journal_page._clicked(app.journal.index(row, JournalModel.RECORDING))
    assert desktop.opener.opened == ["https://example.invalid/recording.mp3"]
    app.journal.setData(app.journal.index(row, JournalModel.NOTE), "обсудили счёт")
    qtbot.waitUntil(lambda: any(e.note == "обсудили счёт" for e in app.journal.rows),
                    timeout=5000)
    app.journal_page.filter.setCurrentIndex(1)  # missed
    qtbot.waitUntil(lambda: [e.phone for e in app.journal.rows] == ["+74950000001"],
                    timeout=5000)


def test_journal_card_after_call(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                 qtbot: Any) -> None:
    """With the journal card on, an ended call opens a card whose note is saved."""
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.start(desktop.make(pz_relay.url, token, incoming="never",
                                     journal_card="in"))
    pbx.scenario("incoming-answered")
    qtbot.waitUntil(lambda: any(type(d).__name__ == "JournalCard" for d in app.dialogs.open),
                    timeout=5000)
    card = next(d for d in app.dialogs.open if type(d).__name__ == "JournalCard")
    card.note.setPlainText("перезвонить в пятницу")
    card._save()
    qtbot.waitUntil(lambda: any(e.note == "перезвонить в пятницу" for e in app.journal.rows),
                    timeout=5000)


def test_one_notification_for_missed_burst(desktop: Desktop, pz_relay: Any, pbx: Pbx,
                                           qtbot: Any, qapp: Any) -> None:
    """With notifications on, several missed calls make one notice with the count."""
    from tests.desktop.test_translations import translated

    stack = contextlib.ExitStack()
    stack.enter_context(translated(qapp, "en"))
    desktop.cleanup.append(stack.close)
    token = pz_relay.add_user("Сотрудник", "100")
    app = desktop.start(desktop.make(pz_relay.url, token, incoming="never",
                                     notifications=True))
    pbx.scenario("incoming-missed", phone="84950000001")
    pbx.scenario("incoming-missed", phone="84950000002")
    qtbot.waitUntil(lambda: any("2 missed" in t for _k, t in app.notifier.history),
                    timeout=5000)
    assert [t for _k, t in app.notifier.history if "missed" in t] == ["2 missed calls"]


def test_journal_paging(desktop: Desktop, pz_relay: Any, pbx: Pbx, qtbot: Any) -> None:
    """The journal loads a page; "Older calls" appends the next one without duplicates."""
    token = pz_relay.add_user("Сотрудник", "100")
    for i in range(3):
        pbx.scenario("incoming-missed", phone=f"8495000000{i}")
    app = desktop.make(pz_relay.url, token, incoming="never")
    app.history.page_size = 2
    desktop.start(app)
    qtbot.waitUntil(lambda: len(app.journal.rows) == 2, timeout=5000)
    app.journal_page.more_button.click()
    qtbot.waitUntil(lambda: len(app.journal.rows) == 3, timeout=5000)
    assert len({e.id for e in app.journal.rows}) == 3
    assert app.journal.rows[-1].phone == "+74950000000"
