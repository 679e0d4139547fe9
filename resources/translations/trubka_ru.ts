<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AboutBox</name>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="84" />
        <source>About Trubka</source>
        <translation>О программе</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="85" />
        <source>&lt;h3&gt;Trubka {version}&lt;/h3&gt;&lt;p&gt;Call popups and click-to-call for cloud PBXs.&lt;/p&gt;&lt;p&gt;Icons: Trubka's own, MIT licence.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Трубка {version}&lt;/h3&gt;&lt;p&gt;Карточки звонков и звонки в один клик для облачных АТС.&lt;/p&gt;&lt;p&gt;Значки: собственные, лицензия MIT.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>AddressBookPage</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="152" />
        <source>Search by name, company or number</source>
        <translation>Поиск по имени, компании или номеру</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="168" />
        <source>No contacts found. Create one with “New contact”.</source>
        <translation>Контакты не найдены. Создайте контакт кнопкой «Новый контакт».</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="198" />
        <source>New contact</source>
        <translation>Новый контакт</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="199" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="200" />
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="229" />
        <source>Call this number</source>
        <translation>Позвонить на этот номер</translation>
    </message>
</context>
<context>
    <name>CallWindow</name>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="117" />
        <source>Keep this window open</source>
        <translation>Не закрывать окно</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="120" />
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="153" />
        <source>Copy</source>
        <translation>Скопировать</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="153" />
        <source>Copy the number (Ctrl+C)</source>
        <translation>Скопировать номер (Ctrl+C)</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="154" />
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="154" />
        <source>Call back</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="155" />
        <source>Search</source>
        <translation>Найти</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="155" />
        <source>Search the web for this number</source>
        <translation>Найти номер в интернете</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="156" />
        <source>Create contact</source>
        <translation>Создать контакт</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="157" />
        <source>Save this number as a contact</source>
        <translation>Сохранить номер как контакт</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="158" />
        <source>Card</source>
        <translation>Карточка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="158" />
        <source>Open the contact's card</source>
        <translation>Открыть карточку контакта</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="159" />
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="159" />
        <source>Open in CRM</source>
        <translation>Открыть в CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="188" />
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="189" />
        <source>Outgoing call</source>
        <translation>Исходящий звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="192" />
        <source>Talking</source>
        <translation>Разговор</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="194" />
        <source>Answered elsewhere</source>
        <translation>Ответили на другом телефоне</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="196" />
        <source>Transferred</source>
        <translation>Переведён</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="198" />
        <source>Missed call</source>
        <translation>Пропущенный звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="199" />
        <source>No answer</source>
        <translation>Нет ответа</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="201" />
        <source>Call ended</source>
        <translation>Звонок завершён</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="209" />
        <source>on {line}</source>
        <translation>на {line}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="213" />
        <source>Unknown number</source>
        <translation>Неизвестный номер</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="216" />
        <source>Responsible: ext. {ext}</source>
        <translation>Ответственный: доб. {ext}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="234" />
        <source>Answered by {who}</source>
        <translation>Ответил {who}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="235" />
        <source>a colleague</source>
        <translation>коллега</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="241" />
        <source>Duration {m}:{s:02d}</source>
        <translation>Длительность {m}:{s:02d}</translation>
    </message>
</context>
<context>
    <name>CallWindows</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/calls.py" line="66" />
        <source>Last call: {when}, {duration}</source>
        <translation>Последний звонок: {when}, {duration}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/calls.py" line="79" />
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
</context>
<context>
    <name>ConnectionController</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/connection.py" line="92" />
        <source>Signed out</source>
        <translation>Вход не выполнен</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/connection.py" line="100" />
        <source>Trubka — ext. {ext} — {line}</source>
        <translation>Трубка — доб. {ext} — {line}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/connection.py" line="112" />
        <source>Wrong extension</source>
        <translation>Не тот добавочный</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="115" />
        <source>New contact</source>
        <translation>Новый контакт</translation>
    </message>
</context>
<context>
    <name>ContactForm</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="62" />
        <source>extension, e.g. 100</source>
        <translation>добавочный, например 100</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="38" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="66" />
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="39" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="67" />
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="40" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="68" />
        <source>Numbers</source>
        <translation>Номера</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="41" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="69" />
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="42" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="70" />
        <source>Responsible</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="43" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="71" />
        <source>CRM link</source>
        <translation>Ссылка в CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="44" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="72" />
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="93" />
        <source>A contact needs a name.</source>
        <translation>Укажите имя контакта.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="99" />
        <source>{field}: {reason}</source>
        <translation>{field}: {reason}</translation>
    </message>
</context>
<context>
    <name>ContactsController</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/contacts.py" line="58" />
        <source>Contact not saved</source>
        <translation>Контакт не сохранён</translation>
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
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="53" />
        <source>Dial a number</source>
        <translation>Набрать номер</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="59" />
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="72" />
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
        <translation>Позвонить</translation>
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
        <location filename="../../app/trubka/desktop/views/directory.py" line="327" />
        <source>Address book</source>
        <translation>Адресная книга</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="328" />
        <source>Call journal</source>
        <translation>Журнал звонков</translation>
    </message>
</context>
<context>
    <name>EnrolmentController</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="56" />
        <source>This is not an enrolment link, or it is incomplete. Copy the whole link from your administrator's message.</source>
        <translation>Это не ссылка для подключения, или она неполная. Скопируйте ссылку из сообщения администратора целиком.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="65" />
        <source>This link is for {host}, but your administrator fixed Trubka's relay to {current}. Ask your administrator for a link to {current}.</source>
        <translation>Ссылка ведёт на {host}, а администратор закрепил за Трубкой сервер {current}. Попросите администратора прислать ссылку для {current}.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="72" />
        <source>Nothing was changed.</source>
        <translation>Ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="81" />
        <source>Connect to another relay?</source>
        <translation>Подключиться к другому серверу?</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="82" />
        <source>This link connects Trubka to {host} instead of {current}, as the user the link was made for. Continue only if your administrator sent it.</source>
        <translation>Эта ссылка подключит Трубку к серверу {host} вместо {current} — под пользователем, для которого она выдана. Продолжайте, только если ссылку прислал ваш администратор.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="103" />
        <source>Trubka connected: ext. {ext}</source>
        <translation>Трубка подключена: доб. {ext}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="104" />
        <source>Trubka</source>
        <translation>Трубка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="115" />
        <source>Enrolment link</source>
        <translation>Ссылка для подключения</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="20" />
        <source>The relay's name could not be resolved (DNS). Check the address.</source>
        <translation>Имя сервера не найдено (DNS). Проверьте адрес.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="23" />
        <source>The relay refused the connection. Is it running, and is the port right?</source>
        <translation>Сервер отклонил соединение. Он запущен и порт указан верно?</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="26" />
        <source>The relay's TLS certificate is not trusted: {detail}. Add your CA file in Settings.</source>
        <translation>Сертификат TLS сервера не доверенный: {detail}. Укажите файл корневого сертификата в настройках.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="30" />
        <source>The relay did not answer in time. Check the network.</source>
        <translation>Сервер не ответил вовремя. Проверьте сеть.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="33" />
        <source>No connection to the relay: {detail}</source>
        <translation>Нет связи с сервером: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="34" />
        <source>Signed out: the relay does not accept this token. Enter a new one in Settings.</source>
        <translation>Вход не выполнен: сервер не принимает этот токен. Введите новый в настройках.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="38" />
        <source>This token belongs to extension {detail}, not the one in Settings.</source>
        <translation>Этот токен принадлежит добавочному {detail}, а не указанному в настройках.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="41" />
        <source>Trubka is not set up yet: enter the relay address and token in Settings.</source>
        <translation>Трубка ещё не настроена: укажите адрес сервера и токен в настройках.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="44" />
        <source>The relay has no PBX configured yet. Ask your administrator.</source>
        <translation>На сервере ещё не настроена АТС. Обратитесь к администратору.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="47" />
        <location filename="../../app/trubka/desktop/errors.py" line="52" />
        <source>The relay refused the request: {detail}</source>
        <translation>Сервер отклонил запрос: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="48" />
        <source>Not found: {detail}</source>
        <translation>Не найдено: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="49" />
        <source>Your PBX does not support this.</source>
        <translation>Ваша АТС этого не поддерживает.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="50" />
        <source>The relay does not allow this: {detail}</source>
        <translation>Сервер не разрешает это: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="53" />
        <source>No longer valid: {detail}</source>
        <translation>Больше не действует: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="54" />
        <source>Too much data for the relay at once.</source>
        <translation>Слишком много данных для сервера за один раз.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="55" />
        <source>Too many attempts. Wait a minute and try again.</source>
        <translation>Слишком много попыток. Подождите минуту и попробуйте снова.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="57" />
        <source>The relay is temporarily unavailable. Try again in a minute.</source>
        <translation>Сервер временно недоступен. Попробуйте через минуту.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="59" />
        <source>This link has already been used — ask your administrator for a new one.</source>
        <translation>Ссылка уже использована — попросите администратора прислать новую.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="61" />
        <source>This link has expired — ask your administrator for a new one.</source>
        <translation>Срок действия ссылки истёк — попросите администратора прислать новую.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="63" />
        <source>The relay does not know this link — check that it was copied whole, or ask your administrator for a new one.</source>
        <translation>Сервер не знает эту ссылку — проверьте, что она скопирована целиком, или попросите администратора прислать новую.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="66" />
        <source>The relay failed: {detail}</source>
        <translation>Ошибка сервера: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="67" />
        <source>The relay sent something this version cannot read: {detail}</source>
        <translation>Сервер прислал данные, которые эта версия не понимает: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="71" />
        <source>Error: {detail}</source>
        <translation>Ошибка: {detail}</translation>
    </message>
</context>
<context>
    <name>FallbackWindow</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="171" />
        <source>Dial…</source>
        <translation>Набрать номер…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="172" />
        <source>Address book</source>
        <translation>Адресная книга</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="173" />
        <source>Call journal</source>
        <translation>Журнал звонков</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="178" />
        <source>Menu</source>
        <translation>Меню</translation>
    </message>
</context>
<context>
    <name>Journal</name>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="32" />
        <source>answered</source>
        <translation>отвечен</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="33" />
        <source>missed</source>
        <translation>пропущен</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="35" />
        <source>no answer</source>
        <translation>нет ответа</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="36" />
        <source>cancelled</source>
        <translation>отменён</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="37" />
        <source>busy</source>
        <translation>занято</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="38" />
        <source>not available</source>
        <translation>недоступен</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="39" />
        <source>not allowed</source>
        <translation>запрещён</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="40" />
        <source>not found</source>
        <translation>не найден</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="41" />
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
</context>
<context>
    <name>JournalCard</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="349" />
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="353" />
        <source>What was the call about?</source>
        <translation>О чём был разговор?</translation>
    </message>
</context>
<context>
    <name>JournalController</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/journal.py" line="98" />
        <source>Missed calls</source>
        <translation>Пропущенные звонки</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/trubka/desktop/controllers/journal.py" line="99" />
        <source>%n missed call(s)</source>
        <translation>
            <numerusform>%n пропущенный звонок</numerusform>
            <numerusform>%n пропущенных звонка</numerusform>
            <numerusform>%n пропущенных звонков</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="138" />
        <source>Call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="139" />
        <source>Number / contact</source>
        <translation>Номер / контакт</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="140" />
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="141" />
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="142" />
        <source>Recording</source>
        <translation>Запись</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="143" />
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
</context>
<context>
    <name>JournalPage</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="267" />
        <source>All calls</source>
        <translation>Все звонки</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="267" />
        <source>Missed</source>
        <translation>Пропущенные</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="268" />
        <source>Incoming</source>
        <translation>Входящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="268" />
        <source>Outgoing</source>
        <translation>Исходящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="282" />
        <source>No calls yet — they will appear here automatically.</source>
        <translation>Звонков пока нет — они появятся здесь автоматически.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="291" />
        <source>Call back</source>
        <translation>Перезвонить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="293" />
        <source>Older calls</source>
        <translation>Более ранние звонки</translation>
    </message>
</context>
<context>
    <name>MoreBadge</name>
    <message>
        <location filename="../../app/trubka/desktop/views/stack.py" line="26" />
        <source>+{n} more</source>
        <translation>ещё {n}</translation>
    </message>
</context>
<context>
    <name>Opener</name>
    <message>
        <location filename="../../app/trubka/desktop/services.py" line="104" />
        <source>Link not opened</source>
        <translation>Ссылка не открыта</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/services.py" line="105" />
        <source>Trubka opens only web (http, https) and CRM links; this one starts with “{scheme}:”. If your CRM uses it, add it in Settings → Integration.</source>
        <translation>Трубка открывает только веб-ссылки (http, https) и ссылки CRM; эта начинается с «{scheme}:». Если такие ссылки использует ваша CRM, добавьте схему в Настройки → Интеграция.</translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message numerus="yes">
        <location filename="../../app/trubka/desktop/views/tray.py" line="252" />
        <source>%n missed call(s)</source>
        <translation>
            <numerusform>%n пропущенный звонок</numerusform>
            <numerusform>%n пропущенных звонка</numerusform>
            <numerusform>%n пропущенных звонков</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/settings.py" line="102" />
        <source>Connected: {name}, ext. {ext}</source>
        <translation>Подключено: {name}, доб. {ext}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="83" />
        <source>Trubka settings</source>
        <translation>Настройки Трубки</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="135" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="348" />
        <source>(saved)</source>
        <translation>(сохранён)</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="136" />
        <source>the token from your administrator</source>
        <translation>токен от администратора</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="138" />
        <source>optional: your company's CA certificate file</source>
        <translation>необязательно: файл корневого сертификата вашей компании</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="139" />
        <source>Relay address</source>
        <translation>Адрес сервера</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="140" />
        <source>Extension</source>
        <translation>Добавочный номер</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="141" />
        <source>Sign-in token</source>
        <translation>Токен входа</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="144" />
        <source>Keep the token in a file readable only by me</source>
        <translation>Хранить токен в файле, доступном только мне</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="146" />
        <source>The token is kept in the system keyring.</source>
        <translation>Токен хранится в системном хранилище паролей.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="150" />
        <source>No system keyring found. Without it the token is kept only until Trubka quits, unless you allow a plain file (permissions 0600) in your profile.</source>
        <translation>Системное хранилище паролей не найдено. Без него токен хранится только до выхода из Трубки, если вы не разрешите обычный файл (права 0600) в вашем профиле.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="154" />
        <source>CA file</source>
        <translation>Файл сертификата</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="156" />
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="165" />
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="170" />
        <source>Paste enrolment link</source>
        <translation>Вставить ссылку для подключения</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="172" />
        <source>Copy the link your administrator sent, then press this button</source>
        <translation>Скопируйте ссылку, которую прислал администратор, и нажмите эту кнопку</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="185" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="191" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="197" />
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="186" />
        <source>when the call arrives</source>
        <translation>при поступлении звонка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="187" />
        <source>when the handset is lifted</source>
        <translation>по поднятию трубки</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="188" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="194" />
        <source>when the conversation ends</source>
        <translation>по завершению разговора</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="192" />
        <source>when the call starts</source>
        <translation>при начале звонка</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="193" />
        <source>when answered</source>
        <translation>при ответе</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="198" />
        <source>incoming only</source>
        <translation>только входящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="199" />
        <source>outgoing only</source>
        <translation>только исходящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="200" />
        <source>incoming and outgoing</source>
        <translation>входящие и исходящие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="202" />
        <source>Also show notifications</source>
        <translation>Показывать всплывающие уведомления</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="203" />
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="204" />
        <source>Ask before calling a link from another app</source>
        <translation>Спрашивать перед звонком по ссылке из другой программы</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="205" />
        <source>Show the incoming call window</source>
        <translation>Показывать окно входящего вызова</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="206" />
        <source>Show the outgoing call window</source>
        <translation>Показывать окно исходящего вызова</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="207" />
        <source>Show the journal card after a call</source>
        <translation>Показывать созданное событие «Звонок»</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="210" />
        <source>Keep ended calls on screen</source>
        <translation>Показывать завершённый звонок</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="213" />
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="225" />
        <source>Search URL</source>
        <translation>Адрес поиска</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="226" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="228" />
        <source>Preview</source>
        <translation>Пример</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="227" />
        <source>CRM URL</source>
        <translation>Адрес в CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="231" />
        <source>Links Trubka may open besides http, https and e1c (1C), separated by commas</source>
        <translation>Какие ещё ссылки может открывать Трубка, кроме http, https и e1c (1С), через запятую</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="232" />
        <source>Other CRM link types</source>
        <translation>Другие типы ссылок CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="233" />
        <source>Placeholders: {phone}, {digits}, {local}, {contact_id}, {name}</source>
        <translation>Подстановки: {phone}, {digits}, {local}, {contact_id}, {name}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="235" />
        <source>Default country</source>
        <translation>Страна по умолчанию</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="236" />
        <source>Integration</source>
        <translation>Интеграция</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="242" />
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="245" />
        <source>Start Trubka when I sign in</source>
        <translation>Запускать Трубку при входе в систему</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="246" />
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="250" />
        <source>Log folder</source>
        <translation>Папка журналов</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="251" />
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="282" />
        <source>Set by your administrator</source>
        <translation>Задано администратором</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="122" />
        <source>the server refused the connection</source>
        <translation>сервер отклонил соединение</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="123" />
        <source>server name not found (DNS)</source>
        <translation>имя сервера не найдено (DNS)</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="124" />
        <source>TLS certificate not trusted</source>
        <translation>сертификат TLS не доверенный</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="125" />
        <source>the server does not answer</source>
        <translation>сервер не отвечает</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="134" />
        <source>Connected to {host} — ext. {ext}</source>
        <translation>Подключено к {host} — доб. {ext}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="138" />
        <source>Connecting to {host}…</source>
        <translation>Подключение к {host}…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="140" />
        <source>No connection to the server: {detail}</source>
        <translation>Нет связи с сервером: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="144" />
        <source>Signed out — enter a new token in Settings</source>
        <translation>Вход не выполнен — введите новый токен в настройках</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="146" />
        <source>Connection error: {detail}</source>
        <translation>Ошибка подключения: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="149" />
        <source>Not set up — open Settings</source>
        <translation>Не настроено — откройте настройки</translation>
    </message>
</context>
<context>
    <name>TrayMenu</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="87" />
        <source>Dial…</source>
        <translation>Набрать номер…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="88" />
        <source>Address book</source>
        <translation>Адресная книга</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="89" />
        <location filename="../../app/trubka/desktop/views/tray.py" line="115" />
        <source>Call journal</source>
        <translation>Журнал звонков</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="90" />
        <source>Do not disturb</source>
        <translation>Не беспокоить</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="96" />
        <source>Simulate</source>
        <translation>Симуляция</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="101" />
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="102" />
        <source>About Trubka</source>
        <translation>О программе</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="104" />
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="113" />
        <source>Call journal ({n} missed)</source>
        <translation>Журнал звонков (пропущено: {n})</translation>
    </message>
</context>
<context>
    <name>TrubkaApp</name>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="89" />
        <source>Trubka</source>
        <translation>Трубка</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="37" />
        <source>Enter the relay address, e.g. https://relay.example.ru</source>
        <translation>Введите адрес сервера, например https://relay.example.ru</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="38" />
        <source>The address must start with https:// and name a host</source>
        <translation>Адрес должен начинаться с https:// и содержать имя сервера</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="39" />
        <source>Use https:// — plain http is allowed only on this computer</source>
        <translation>Используйте https:// — обычный http допустим только на этом компьютере</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="41" />
        <source>The address must not contain a query, fragment or user name</source>
        <translation>Адрес не должен содержать параметры, фрагмент или имя пользователя</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="43" />
        <source>An extension is up to 32 letters, digits, dots, dashes or underscores</source>
        <translation>Добавочный — до 32 букв, цифр, точек, дефисов или подчёркиваний</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="45" />
        <source>Not a scheme a CRM link may use</source>
        <translation>Такую схему нельзя использовать для ссылок CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="46" />
        <source>No such file</source>
        <translation>Файл не найден</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="47" />
        <source>The template must contain a placeholder such as {phone}</source>
        <translation>Шаблон должен содержать подстановку, например {phone}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="48" />
        <source>A two-letter country code such as RU</source>
        <translation>Двухбуквенный код страны, например RU</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="49" />
        <source>Between 1 and 600 seconds</source>
        <translation>От 1 до 600 секунд</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="50" />
        <source>Russian, English or the system language</source>
        <translation>Русский, английский или язык системы</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="51" />
        <source>Unknown choice</source>
        <translation>Неизвестный вариант</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="52" />
        <source>The token looks incomplete; paste it again</source>
        <translation>Токен выглядит неполным; вставьте его ещё раз</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="53" />
        <source>the template is empty</source>
        <translation>шаблон пуст</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="54" />
        <source>the address must start with https://, http:// or e1c://</source>
        <translation>адрес должен начинаться с https://, http:// или e1c://</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="55" />
        <source>the address has no host name</source>
        <translation>в адресе нет имени сервера</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="56" />
        <source>the template must contain {phone}, {digits} or {local}</source>
        <translation>шаблон должен содержать {phone}, {digits} или {local}</translation>
    </message>
</context>
</TS>
