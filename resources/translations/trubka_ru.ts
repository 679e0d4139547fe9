<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AboutBox</name>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="57" />
        <source>About Trubka</source>
        <translation>О программе</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="58" />
        <source>&lt;h3&gt;Trubka {version}&lt;/h3&gt;&lt;p&gt;Call popups and click-to-call for cloud PBXs.&lt;/p&gt;&lt;p&gt;Icons: Trubka's own, MIT licence.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Трубка {version}&lt;/h3&gt;&lt;p&gt;Карточки звонков и звонки в один клик для облачных АТС.&lt;/p&gt;&lt;p&gt;Значки: собственные, лицензия MIT.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>AddressBookPage</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="127" />
        <source>Search by name, company or number</source>
        <translation>Поиск по имени, компании или номеру</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="143" />
        <source>No contacts found. Create one with “New contact”.</source>
        <translation>Контакты не найдены. Создайте контакт кнопкой «Новый контакт».</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="161" />
        <source>New contact</source>
        <translation>Новый контакт</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="162" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="163" />
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="200" />
        <source>Call this number</source>
        <translation>Позвонить на этот номер</translation>
    </message>
</context>
<context>
    <name>CallWindow</name>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="99" />
        <source>Keep this window open</source>
        <translation>Не закрывать окно</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="102" />
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="130" />
        <source>Copy</source>
        <translation>Скопировать</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="130" />
        <source>Copy the number (Ctrl+C)</source>
        <translation>Скопировать номер (Ctrl+C)</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="131" />
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="131" />
        <source>Call back</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="132" />
        <source>Search</source>
        <translation>Найти</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="132" />
        <source>Search the web for this number</source>
        <translation>Найти номер в интернете</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="133" />
        <source>Create contact</source>
        <translation>Создать контакт</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="133" />
        <source>Save this number as a contact</source>
        <translation>Сохранить номер как контакт</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="134" />
        <source>Card</source>
        <translation>Карточка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="134" />
        <source>Open the contact's card</source>
        <translation>Открыть карточку контакта</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="135" />
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="135" />
        <source>Open in CRM</source>
        <translation>Открыть в CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="165" />
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="166" />
        <source>Outgoing call</source>
        <translation>Исходящий звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="169" />
        <source>Talking</source>
        <translation>Разговор</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="171" />
        <source>Answered elsewhere</source>
        <translation>Ответили на другом телефоне</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="173" />
        <source>Transferred</source>
        <translation>Переведён</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="175" />
        <source>Missed call</source>
        <translation>Пропущенный звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="176" />
        <source>No answer</source>
        <translation>Нет ответа</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="178" />
        <source>Call ended</source>
        <translation>Звонок завершён</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="186" />
        <source>on {line}</source>
        <translation>на {line}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="190" />
        <source>Unknown number</source>
        <translation>Неизвестный номер</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="193" />
        <source>Responsible: ext. {ext}</source>
        <translation>Ответственный: доб. {ext}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="211" />
        <source>Answered by {who}</source>
        <translation>Ответил {who}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="212" />
        <source>a colleague</source>
        <translation>коллега</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="218" />
        <source>Duration {m}:{s:02d}</source>
        <translation>Длительность {m}:{s:02d}</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="93" />
        <source>New contact</source>
        <translation>Новый контакт</translation>
    </message>
</context>
<context>
    <name>ContactForm</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="49" />
        <source>extension, e.g. 100</source>
        <translation>добавочный, например 100</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="53" />
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="54" />
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="55" />
        <source>Numbers</source>
        <translation>Номера</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="56" />
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="57" />
        <source>Responsible</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="58" />
        <source>CRM link</source>
        <translation>Ссылка в CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="59" />
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="73" />
        <source>A contact needs a name.</source>
        <translation>Укажите имя контакта.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="76" />
        <source>“{line}” is not a phone number.</source>
        <translation>«{line}» — не номер телефона.</translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <location filename="../../app/trubka/desktop/models/contacts.py" line="40" />
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/contacts.py" line="40" />
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/contacts.py" line="40" />
        <source>Numbers</source>
        <translation>Номера</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/contacts.py" line="41" />
        <source>Responsible</source>
        <translation>Ответственный</translation>
    </message>
</context>
<context>
    <name>DialBox</name>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="27" />
        <source>Dial a number</source>
        <translation>Набрать номер</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="32" />
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="45" />
        <source>Not a phone number</source>
        <translation>Это не номер телефона</translation>
    </message>
</context>
<context>
    <name>Dialer</name>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="43" />
        <source>Cannot call</source>
        <translation>Невозможно позвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="44" />
        <source>“{text}” is not a phone number.</source>
        <translation>«{text}» — не номер телефона.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="48" />
        <source>Another application asks to call {number}. Call?</source>
        <translation>Другая программа просит позвонить на {number}. Позвонить?</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="50" />
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="57" />
        <source>Calling</source>
        <translation>Звоним</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="58" />
        <source>Your phone rings first, then {number}.</source>
        <translation>Сначала зазвонит ваш телефон, затем {number}.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="63" />
        <source>Call failed</source>
        <translation>Звонок не удался</translation>
    </message>
</context>
<context>
    <name>DirectoryWindow</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="297" />
        <source>Address book</source>
        <translation>Адресная книга</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="298" />
        <source>Call journal</source>
        <translation>Журнал звонков</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="16" />
        <source>The relay's name could not be resolved (DNS). Check the address.</source>
        <translation>Имя сервера не найдено (DNS). Проверьте адрес.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="19" />
        <source>The relay refused the connection. Is it running, and is the port right?</source>
        <translation>Сервер отклонил соединение. Он запущен и порт указан верно?</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="22" />
        <source>The relay's TLS certificate is not trusted: {detail}. Add your CA file in Settings.</source>
        <translation>Сертификат TLS сервера не доверенный: {detail}. Укажите файл корневого сертификата в настройках.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="26" />
        <source>The relay did not answer in time. Check the network.</source>
        <translation>Сервер не ответил вовремя. Проверьте сеть.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="29" />
        <source>No connection to the relay: {detail}</source>
        <translation>Нет связи с сервером: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="30" />
        <source>Signed out: the relay does not accept this token. Enter a new one in Settings.</source>
        <translation>Вход не выполнен: сервер не принимает этот токен. Введите новый в настройках.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="34" />
        <source>This token belongs to extension {detail}, not the one in Settings.</source>
        <translation>Этот токен принадлежит добавочному {detail}, а не указанному в настройках.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="37" />
        <source>Trubka is not set up yet: enter the relay address and token in Settings.</source>
        <translation>Трубка ещё не настроена: укажите адрес сервера и токен в настройках.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="40" />
        <source>The relay has no PBX configured yet. Ask your administrator.</source>
        <translation>На сервере ещё не настроена АТС. Обратитесь к администратору.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="43" />
        <source>The relay refused the request: {detail}</source>
        <translation>Сервер отклонил запрос: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="44" />
        <source>Not found: {detail}</source>
        <translation>Не найдено: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="45" />
        <source>Your PBX does not support this.</source>
        <translation>Ваша АТС этого не поддерживает.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="46" />
        <source>The relay failed: {detail}</source>
        <translation>Ошибка сервера: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="47" />
        <source>The relay sent something this version cannot read: {detail}</source>
        <translation>Сервер прислал данные, которые эта версия не понимает: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="51" />
        <source>Error: {detail}</source>
        <translation>Ошибка: {detail}</translation>
    </message>
</context>
<context>
    <name>FallbackWindow</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="165" />
        <source>Dial…</source>
        <translation>Набрать номер…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="166" />
        <source>Address book</source>
        <translation>Адресная книга</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="167" />
        <source>Call journal</source>
        <translation>Журнал звонков</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="172" />
        <source>Menu</source>
        <translation>Меню</translation>
    </message>
</context>
<context>
    <name>Journal</name>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="30" />
        <source>answered</source>
        <translation>отвечен</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="31" />
        <source>missed</source>
        <translation>пропущен</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="33" />
        <source>no answer</source>
        <translation>нет ответа</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="34" />
        <source>cancelled</source>
        <translation>отменён</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="35" />
        <source>busy</source>
        <translation>занято</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="36" />
        <source>not available</source>
        <translation>недоступен</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="37" />
        <source>not allowed</source>
        <translation>запрещён</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="38" />
        <source>not found</source>
        <translation>не найден</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="39" />
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
</context>
<context>
    <name>JournalCard</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="319" />
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="323" />
        <source>What was the call about?</source>
        <translation>О чём был разговор?</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="134" />
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="135" />
        <source>Number / contact</source>
        <translation>Номер / контакт</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="136" />
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="137" />
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="138" />
        <source>Recording</source>
        <translation>Запись</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="139" />
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
</context>
<context>
    <name>JournalPage</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="237" />
        <source>All calls</source>
        <translation>Все звонки</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="237" />
        <source>Missed</source>
        <translation>Пропущенные</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="238" />
        <source>Incoming</source>
        <translation>Входящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="238" />
        <source>Outgoing</source>
        <translation>Исходящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="252" />
        <source>No calls yet — they will appear here automatically.</source>
        <translation>Звонков пока нет — они появятся здесь автоматически.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="261" />
        <source>Call back</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="263" />
        <source>Older calls</source>
        <translation>Более ранние звонки</translation>
    </message>
</context>
<context>
    <name>MoreBadge</name>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="303" />
        <source>+{n} more</source>
        <translation>ещё {n}</translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="225" />
        <source>{n} missed calls</source>
        <translation>Пропущенных звонков: {n}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="68" />
        <source>Trubka settings</source>
        <translation>Настройки Трубки</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="108" />
        <source>(saved)</source>
        <translation>(сохранён)</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="109" />
        <source>the token from your administrator</source>
        <translation>токен от администратора</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="111" />
        <source>optional: your company's CA certificate file</source>
        <translation>необязательно: файл корневого сертификата вашей компании</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="112" />
        <source>Relay address</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="113" />
        <source>Extension</source>
        <translation>Добавочный номер</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="114" />
        <source>Sign-in token</source>
        <translation>Токен входа</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="117" />
        <source>Keep the token in a file readable only by me</source>
        <translation>Хранить токен в файле, доступном только мне</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="119" />
        <source>The token is kept in the system keyring.</source>
        <translation>Токен хранится в системном хранилище паролей.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="123" />
        <source>No system keyring found. Without it the token is kept only until Trubka quits, unless you allow a plain file (permissions 0600) in your profile.</source>
        <translation>Системное хранилище паролей не найдено. Без него токен хранится только до выхода из Трубки, если вы не разрешите обычный файл (права 0600) в вашем профиле.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="127" />
        <source>CA file</source>
        <translation>Файл сертификата</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="129" />
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="137" />
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="143" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="149" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="155" />
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="144" />
        <source>when the call arrives</source>
        <translation>при поступлении звонка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="145" />
        <source>when the handset is lifted</source>
        <translation>по поднятию трубки</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="146" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="152" />
        <source>when the conversation ends</source>
        <translation>по завершению разговора</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="150" />
        <source>when the call starts</source>
        <translation>при начале звонка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="151" />
        <source>when answered</source>
        <translation>при ответе</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="156" />
        <source>incoming only</source>
        <translation>только входящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="157" />
        <source>outgoing only</source>
        <translation>только исходящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="158" />
        <source>incoming and outgoing</source>
        <translation>входящие и исходящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="160" />
        <source>Also show notifications</source>
        <translation>Показывать всплывающие уведомления</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="161" />
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="162" />
        <source>Ask before calling a link from another app</source>
        <translation>Спрашивать перед звонком по ссылке из другой программы</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="163" />
        <source>Show the incoming call window</source>
        <translation>Показывать окно входящего вызова</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="164" />
        <source>Show the outgoing call window</source>
        <translation>Показывать окно исходящего вызова</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="165" />
        <source>Show the journal card after a call</source>
        <translation>Показывать созданное событие «Звонок»</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="167" />
        <source>Keep ended calls on screen</source>
        <translation>Показывать завершённый звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="170" />
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="182" />
        <source>Search URL</source>
        <translation>Адрес поиска</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="183" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="185" />
        <source>Preview</source>
        <translation>Пример</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="184" />
        <source>CRM URL</source>
        <translation>Адрес в CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="186" />
        <source>Placeholders: {phone}, {digits}, {local}, {contact_id}, {name}</source>
        <translation>Подстановки: {phone}, {digits}, {local}, {contact_id}, {name}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="188" />
        <source>Default country</source>
        <translation>Страна по умолчанию</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="189" />
        <source>Integration</source>
        <translation>Интеграция</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="195" />
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="198" />
        <source>Start Trubka when I sign in</source>
        <translation>Запускать Трубку при входе в систему</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="199" />
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="203" />
        <source>Log folder</source>
        <translation>Папка журналов</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="204" />
        <source>General</source>
        <translation>Общие</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="116" />
        <source>the server refused the connection</source>
        <translation>сервер отклонил соединение</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="117" />
        <source>server name not found (DNS)</source>
        <translation>имя сервера не найдено (DNS)</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="118" />
        <source>TLS certificate not trusted</source>
        <translation>сертификат TLS не доверенный</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="119" />
        <source>the server does not answer</source>
        <translation>сервер не отвечает</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="128" />
        <source>Connected to {host} — ext. {ext}</source>
        <translation>Подключено к {host} — доб. {ext}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="132" />
        <source>Connecting to {host}…</source>
        <translation>Подключение к {host}…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="134" />
        <source>No connection to the server: {detail}</source>
        <translation>Нет связи с сервером: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="138" />
        <source>Signed out — enter a new token in Settings</source>
        <translation>Вход не выполнен — введите новый токен в настройках</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="140" />
        <source>Connection error: {detail}</source>
        <translation>Ошибка подключения: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="143" />
        <source>Not set up — open Settings</source>
        <translation>Не настроено — откройте настройки</translation>
    </message>
</context>
<context>
    <name>TrayMenu</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="82" />
        <source>Dial…</source>
        <translation>Набрать номер…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="83" />
        <source>Address book</source>
        <translation>Адресная книга</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="84" />
        <location filename="../../app/trubka/desktop/views/tray.py" line="109" />
        <source>Call journal</source>
        <translation>Журнал звонков</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="85" />
        <source>Do not disturb</source>
        <translation>Не беспокоить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="91" />
        <source>Simulate</source>
        <translation>Симуляция</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="95" />
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="96" />
        <source>About Trubka</source>
        <translation>О программе</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="98" />
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="107" />
        <source>Call journal ({n} missed)</source>
        <translation>Журнал звонков (пропущено: {n})</translation>
    </message>
</context>
<context>
    <name>TrubkaApp</name>
    <message>
        <location filename="../../app/trubka/desktop/app.py" line="241" />
        <source>Last call: {when}, {duration}</source>
        <translation>Последний звонок: {when}, {duration}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/app.py" line="252" />
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/app.py" line="272" />
        <source>Trubka — ext. {ext} — {line}</source>
        <translation>Трубка — доб. {ext} — {line}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/app.py" line="277" />
        <source>Signed out</source>
        <translation>Вход не выполнен</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/app.py" line="285" />
        <source>Wrong extension</source>
        <translation>Не тот добавочный</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/records.py" line="62" />
        <source>Missed calls</source>
        <translation>Пропущенные звонки</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/records.py" line="63" />
        <source>{n} missed calls</source>
        <translation>Пропущенных звонков: {n}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/records.py" line="135" />
        <source>Contact not saved</source>
        <translation>Контакт не сохранён</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/records.py" line="150" />
        <source>Trubka</source>
        <translation>Трубка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/app.py" line="429" />
        <source>Connected: {name}, ext. {ext}</source>
        <translation>Подключено: {name}, доб. {ext}</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="35" />
        <source>Enter the relay address, e.g. https://relay.example.ru</source>
        <translation>Введите адрес сервера, например https://relay.example.ru</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="36" />
        <source>The address must start with https:// and name a host</source>
        <translation>Адрес должен начинаться с https:// и содержать имя сервера</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="37" />
        <source>Use https:// — plain http is allowed only on this computer</source>
        <translation>Используйте https:// — обычный http допустим только на этом компьютере</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="39" />
        <source>The address must not contain a query, fragment or user name</source>
        <translation>Адрес не должен содержать параметры, фрагмент или имя пользователя</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="41" />
        <source>An extension is 1 to 10 digits</source>
        <translation>Добавочный номер — от 1 до 10 цифр</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="42" />
        <source>No such file</source>
        <translation>Файл не найден</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="43" />
        <source>The template must contain a placeholder such as {phone}</source>
        <translation>Шаблон должен содержать подстановку, например {phone}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="44" />
        <source>A two-letter country code such as RU</source>
        <translation>Двухбуквенный код страны, например RU</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="45" />
        <source>Between 1 and 600 seconds</source>
        <translation>От 1 до 600 секунд</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="46" />
        <source>Russian, English or the system language</source>
        <translation>Русский, английский или язык системы</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="47" />
        <source>Unknown choice</source>
        <translation>Неизвестный вариант</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="48" />
        <source>The token looks incomplete; paste it again</source>
        <translation>Токен выглядит неполным; вставьте его ещё раз</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="49" />
        <source>the template is empty</source>
        <translation>шаблон пуст</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="50" />
        <source>the address must start with https://, http:// or e1c://</source>
        <translation>адрес должен начинаться с https://, http:// или e1c://</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="51" />
        <source>the address has no host name</source>
        <translation>в адресе нет имени сервера</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="52" />
        <source>the template must contain {phone}, {digits} or {local}</source>
        <translation>шаблон должен содержать {phone}, {digits} или {local}</translation>
    </message>
</context>
</TS>
