<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>AboutBox</name>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="84" />
        <source>About Trubka</source>
        <translation>About Trubka</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="85" />
        <source>&lt;h3&gt;Trubka {version}&lt;/h3&gt;&lt;p&gt;Call popups and click-to-call for cloud PBXs.&lt;/p&gt;&lt;p&gt;Icons: Trubka's own, MIT licence.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Trubka {version}&lt;/h3&gt;&lt;p&gt;Call popups and click-to-call for cloud PBXs.&lt;/p&gt;&lt;p&gt;Icons: Trubka's own, MIT licence.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>AddressBookPage</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="152" />
        <source>Search by name, company or number</source>
        <translation>Search by name, company or number</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="168" />
        <source>No contacts found. Create one with “New contact”.</source>
        <translation>No contacts found. Create one with “New contact”.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="198" />
        <source>New contact</source>
        <translation>New contact</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="199" />
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="200" />
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="229" />
        <source>Call this number</source>
        <translation>Call this number</translation>
    </message>
</context>
<context>
    <name>CallWindow</name>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="117" />
        <source>Keep this window open</source>
        <translation>Keep this window open</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="120" />
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="153" />
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="153" />
        <source>Copy the number (Ctrl+C)</source>
        <translation>Copy the number (Ctrl+C)</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="154" />
        <source>Call</source>
        <translation>Call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="154" />
        <source>Call back</source>
        <translation>Call back</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="155" />
        <source>Search</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="155" />
        <source>Search the web for this number</source>
        <translation>Search the web for this number</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="156" />
        <source>Create contact</source>
        <translation>Create contact</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="157" />
        <source>Save this number as a contact</source>
        <translation>Save this number as a contact</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="158" />
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="158" />
        <source>Open the contact's card</source>
        <translation>Open the contact's card</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="159" />
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="159" />
        <source>Open in CRM</source>
        <translation>Open in CRM</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="188" />
        <source>Incoming call</source>
        <translation>Incoming call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="189" />
        <source>Outgoing call</source>
        <translation>Outgoing call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="192" />
        <source>Talking</source>
        <translation>Talking</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="194" />
        <source>Answered elsewhere</source>
        <translation>Answered elsewhere</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="196" />
        <source>Transferred</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="198" />
        <source>Missed call</source>
        <translation>Missed call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="199" />
        <source>No answer</source>
        <translation>No answer</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="201" />
        <source>Call ended</source>
        <translation>Call ended</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="209" />
        <source>on {line}</source>
        <translation>on {line}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="213" />
        <source>Unknown number</source>
        <translation>Unknown number</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="216" />
        <source>Responsible: ext. {ext}</source>
        <translation>Responsible: ext. {ext}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="234" />
        <source>Answered by {who}</source>
        <translation>Answered by {who}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="235" />
        <source>a colleague</source>
        <translation>a colleague</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/call_window.py" line="241" />
        <source>Duration {m}:{s:02d}</source>
        <translation>Duration {m}:{s:02d}</translation>
    </message>
</context>
<context>
    <name>CallWindows</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/calls.py" line="66" />
        <source>Last call: {when}, {duration}</source>
        <translation>Last call: {when}, {duration}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/calls.py" line="79" />
        <source>Incoming call</source>
        <translation>Incoming call</translation>
    </message>
</context>
<context>
    <name>ConnectionController</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/connection.py" line="92" />
        <source>Signed out</source>
        <translation>Signed out</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/connection.py" line="100" />
        <source>Trubka — ext. {ext} — {line}</source>
        <translation>Trubka — ext. {ext} — {line}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/connection.py" line="112" />
        <source>Wrong extension</source>
        <translation>Wrong extension</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="115" />
        <source>New contact</source>
        <translation>New contact</translation>
    </message>
</context>
<context>
    <name>ContactForm</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="62" />
        <source>extension, e.g. 100</source>
        <translation>extension, e.g. 100</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="38" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="66" />
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="39" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="67" />
        <source>Company</source>
        <translation>Company</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="40" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="68" />
        <source>Numbers</source>
        <translation>Numbers</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="41" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="69" />
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="42" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="70" />
        <source>Responsible</source>
        <translation>Responsible</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="43" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="71" />
        <source>CRM link</source>
        <translation>CRM link</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="44" />
        <location filename="../../app/trubka/desktop/views/directory.py" line="72" />
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="93" />
        <source>A contact needs a name.</source>
        <translation>A contact needs a name.</translation>
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
        <translation>Contact not saved</translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <location filename="../../app/trubka/desktop/models/contacts.py" line="40" />
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/contacts.py" line="40" />
        <source>Company</source>
        <translation>Company</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/contacts.py" line="40" />
        <source>Numbers</source>
        <translation>Numbers</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/contacts.py" line="41" />
        <source>Responsible</source>
        <translation>Responsible</translation>
    </message>
</context>
<context>
    <name>DialBox</name>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="53" />
        <source>Dial a number</source>
        <translation>Dial a number</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="59" />
        <source>Call</source>
        <translation>Call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/dialogs.py" line="72" />
        <source>Not a phone number</source>
        <translation>Not a phone number</translation>
    </message>
</context>
<context>
    <name>Dialer</name>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="43" />
        <source>Cannot call</source>
        <translation>Cannot call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="44" />
        <source>“{text}” is not a phone number.</source>
        <translation>“{text}” is not a phone number.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="48" />
        <source>Another application asks to call {number}. Call?</source>
        <translation>Another application asks to call {number}. Call?</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="50" />
        <source>Call</source>
        <translation>Call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="57" />
        <source>Calling</source>
        <translation>Calling</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="58" />
        <source>Your phone rings first, then {number}.</source>
        <translation>Your phone rings first, then {number}.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/dialer.py" line="63" />
        <source>Call failed</source>
        <translation>Call failed</translation>
    </message>
</context>
<context>
    <name>DirectoryWindow</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="327" />
        <source>Address book</source>
        <translation>Address book</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="328" />
        <source>Call journal</source>
        <translation>Call journal</translation>
    </message>
</context>
<context>
    <name>EnrolmentController</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="56" />
        <source>This is not an enrolment link, or it is incomplete. Copy the whole link from your administrator's message.</source>
        <translation>This is not an enrolment link, or it is incomplete. Copy the whole link from your administrator's message.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="65" />
        <source>This link is for {host}, but your administrator fixed Trubka's relay to {current}. Ask your administrator for a link to {current}.</source>
        <translation>This link is for {host}, but your administrator fixed Trubka's relay to {current}. Ask your administrator for a link to {current}.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="72" />
        <source>Nothing was changed.</source>
        <translation>Nothing was changed.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="81" />
        <source>Connect to another relay?</source>
        <translation>Connect to another relay?</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="82" />
        <source>This link connects Trubka to {host} instead of {current}, as the user the link was made for. Continue only if your administrator sent it.</source>
        <translation>This link connects Trubka to {host} instead of {current}, as the user the link was made for. Continue only if your administrator sent it.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="103" />
        <source>Trubka connected: ext. {ext}</source>
        <translation>Trubka connected: ext. {ext}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="104" />
        <source>Trubka</source>
        <translation>Trubka</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/controllers/enrolment.py" line="115" />
        <source>Enrolment link</source>
        <translation>Enrolment link</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="20" />
        <source>The relay's name could not be resolved (DNS). Check the address.</source>
        <translation>The relay's name could not be resolved (DNS). Check the address.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="23" />
        <source>The relay refused the connection. Is it running, and is the port right?</source>
        <translation>The relay refused the connection. Is it running, and is the port right?</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="26" />
        <source>The relay's TLS certificate is not trusted: {detail}. Add your CA file in Settings.</source>
        <translation>The relay's TLS certificate is not trusted: {detail}. Add your CA file in Settings.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="30" />
        <source>The relay did not answer in time. Check the network.</source>
        <translation>The relay did not answer in time. Check the network.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="33" />
        <source>No connection to the relay: {detail}</source>
        <translation>No connection to the relay: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="34" />
        <source>Signed out: the relay does not accept this token. Enter a new one in Settings.</source>
        <translation>Signed out: the relay does not accept this token. Enter a new one in Settings.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="38" />
        <source>This token belongs to extension {detail}, not the one in Settings.</source>
        <translation>This token belongs to extension {detail}, not the one in Settings.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="41" />
        <source>Trubka is not set up yet: enter the relay address and token in Settings.</source>
        <translation>Trubka is not set up yet: enter the relay address and token in Settings.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="44" />
        <source>The relay has no PBX configured yet. Ask your administrator.</source>
        <translation>The relay has no PBX configured yet. Ask your administrator.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="47" />
        <location filename="../../app/trubka/desktop/errors.py" line="52" />
        <source>The relay refused the request: {detail}</source>
        <translation>The relay refused the request: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="48" />
        <source>Not found: {detail}</source>
        <translation>Not found: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="49" />
        <source>Your PBX does not support this.</source>
        <translation>Your PBX does not support this.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="50" />
        <source>The relay does not allow this: {detail}</source>
        <translation>The relay does not allow this: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="53" />
        <source>No longer valid: {detail}</source>
        <translation>No longer valid: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="54" />
        <source>Too much data for the relay at once.</source>
        <translation>Too much data for the relay at once.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="55" />
        <source>Too many attempts. Wait a minute and try again.</source>
        <translation>Too many attempts. Wait a minute and try again.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="57" />
        <source>The relay is temporarily unavailable. Try again in a minute.</source>
        <translation>The relay is temporarily unavailable. Try again in a minute.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="59" />
        <source>This link has already been used — ask your administrator for a new one.</source>
        <translation>This link has already been used — ask your administrator for a new one.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="61" />
        <source>This link has expired — ask your administrator for a new one.</source>
        <translation>This link has expired — ask your administrator for a new one.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="63" />
        <source>The relay does not know this link — check that it was copied whole, or ask your administrator for a new one.</source>
        <translation>The relay does not know this link — check that it was copied whole, or ask your administrator for a new one.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="66" />
        <source>The relay failed: {detail}</source>
        <translation>The relay failed: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="67" />
        <source>The relay sent something this version cannot read: {detail}</source>
        <translation>The relay sent something this version cannot read: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="71" />
        <source>Error: {detail}</source>
        <translation>Error: {detail}</translation>
    </message>
</context>
<context>
    <name>FallbackWindow</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="171" />
        <source>Dial…</source>
        <translation>Dial…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="172" />
        <source>Address book</source>
        <translation>Address book</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="173" />
        <source>Call journal</source>
        <translation>Call journal</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="178" />
        <source>Menu</source>
        <translation>Menu</translation>
    </message>
</context>
<context>
    <name>Journal</name>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="32" />
        <source>answered</source>
        <translation>answered</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="33" />
        <source>missed</source>
        <translation>missed</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="35" />
        <source>no answer</source>
        <translation>no answer</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="36" />
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="37" />
        <source>busy</source>
        <translation>busy</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="38" />
        <source>not available</source>
        <translation>not available</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="39" />
        <source>not allowed</source>
        <translation>not allowed</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="40" />
        <source>not found</source>
        <translation>not found</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="41" />
        <source>failed</source>
        <translation>failed</translation>
    </message>
</context>
<context>
    <name>JournalCard</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="349" />
        <source>Call</source>
        <translation>Call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="353" />
        <source>What was the call about?</source>
        <translation>What was the call about?</translation>
    </message>
</context>
<context>
    <name>JournalController</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/journal.py" line="98" />
        <source>Missed calls</source>
        <translation>Missed calls</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/trubka/desktop/controllers/journal.py" line="99" />
        <source>%n missed call(s)</source>
        <translation>
            <numerusform>%n missed call</numerusform>
            <numerusform>%n missed calls</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="138" />
        <source>Call</source>
        <translation>Call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="139" />
        <source>Number / contact</source>
        <translation>Number / contact</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="140" />
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="141" />
        <source>Duration</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="142" />
        <source>Recording</source>
        <translation>Recording</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/models/journal.py" line="143" />
        <source>Note</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>JournalPage</name>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="267" />
        <source>All calls</source>
        <translation>All calls</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="267" />
        <source>Missed</source>
        <translation>Missed</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="268" />
        <source>Incoming</source>
        <translation>Incoming</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="268" />
        <source>Outgoing</source>
        <translation>Outgoing</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="282" />
        <source>No calls yet — they will appear here automatically.</source>
        <translation>No calls yet — they will appear here automatically.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="291" />
        <source>Call back</source>
        <translation>Call back</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/directory.py" line="293" />
        <source>Older calls</source>
        <translation>Older calls</translation>
    </message>
</context>
<context>
    <name>MoreBadge</name>
    <message>
        <location filename="../../app/trubka/desktop/views/stack.py" line="26" />
        <source>+{n} more</source>
        <translation>+{n} more</translation>
    </message>
</context>
<context>
    <name>Opener</name>
    <message>
        <location filename="../../app/trubka/desktop/services.py" line="104" />
        <source>Link not opened</source>
        <translation>Link not opened</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/services.py" line="105" />
        <source>Trubka opens only web (http, https) and CRM links; this one starts with “{scheme}:”. If your CRM uses it, add it in Settings → Integration.</source>
        <translation>Trubka opens only web (http, https) and CRM links; this one starts with “{scheme}:”. If your CRM uses it, add it in Settings → Integration.</translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message numerus="yes">
        <location filename="../../app/trubka/desktop/views/tray.py" line="252" />
        <source>%n missed call(s)</source>
        <translation>
            <numerusform>%n missed call</numerusform>
            <numerusform>%n missed calls</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message>
        <location filename="../../app/trubka/desktop/controllers/settings.py" line="102" />
        <source>Connected: {name}, ext. {ext}</source>
        <translation>Connected: {name}, ext. {ext}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="83" />
        <source>Trubka settings</source>
        <translation>Trubka settings</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="135" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="348" />
        <source>(saved)</source>
        <translation>(saved)</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="136" />
        <source>the token from your administrator</source>
        <translation>the token from your administrator</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="138" />
        <source>optional: your company's CA certificate file</source>
        <translation>optional: your company's CA certificate file</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="139" />
        <source>Relay address</source>
        <translation>Relay address</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="140" />
        <source>Extension</source>
        <translation>Extension</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="141" />
        <source>Sign-in token</source>
        <translation>Sign-in token</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="144" />
        <source>Keep the token in a file readable only by me</source>
        <translation>Keep the token in a file readable only by me</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="146" />
        <source>The token is kept in the system keyring.</source>
        <translation>The token is kept in the system keyring.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="150" />
        <source>No system keyring found. Without it the token is kept only until Trubka quits, unless you allow a plain file (permissions 0600) in your profile.</source>
        <translation>No system keyring found. Without it the token is kept only until Trubka quits, unless you allow a plain file (permissions 0600) in your profile.</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="154" />
        <source>CA file</source>
        <translation>CA file</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="156" />
        <source>Test connection</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="165" />
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="170" />
        <source>Paste enrolment link</source>
        <translation>Paste enrolment link</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="172" />
        <source>Copy the link your administrator sent, then press this button</source>
        <translation>Copy the link your administrator sent, then press this button</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="185" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="191" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="197" />
        <source>never</source>
        <translation>never</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="186" />
        <source>when the call arrives</source>
        <translation>when the call arrives</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="187" />
        <source>when the handset is lifted</source>
        <translation>when the handset is lifted</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="188" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="194" />
        <source>when the conversation ends</source>
        <translation>when the conversation ends</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="192" />
        <source>when the call starts</source>
        <translation>when the call starts</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="193" />
        <source>when answered</source>
        <translation>when answered</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="198" />
        <source>incoming only</source>
        <translation>incoming only</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="199" />
        <source>outgoing only</source>
        <translation>outgoing only</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="200" />
        <source>incoming and outgoing</source>
        <translation>incoming and outgoing</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="202" />
        <source>Also show notifications</source>
        <translation>Also show notifications</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="203" />
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="204" />
        <source>Ask before calling a link from another app</source>
        <translation>Ask before calling a link from another app</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="205" />
        <source>Show the incoming call window</source>
        <translation>Show the incoming call window</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="206" />
        <source>Show the outgoing call window</source>
        <translation>Show the outgoing call window</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="207" />
        <source>Show the journal card after a call</source>
        <translation>Show the journal card after a call</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="210" />
        <source>Keep ended calls on screen</source>
        <translation>Keep ended calls on screen</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="213" />
        <source>Calls</source>
        <translation>Calls</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="225" />
        <source>Search URL</source>
        <translation>Search URL</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="226" />
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="228" />
        <source>Preview</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="227" />
        <source>CRM URL</source>
        <translation>CRM URL</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="231" />
        <source>Links Trubka may open besides http, https and e1c (1C), separated by commas</source>
        <translation>Links Trubka may open besides http, https and e1c (1C), separated by commas</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="232" />
        <source>Other CRM link types</source>
        <translation>Other CRM link types</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="233" />
        <source>Placeholders: {phone}, {digits}, {local}, {contact_id}, {name}</source>
        <translation>Placeholders: {phone}, {digits}, {local}, {contact_id}, {name}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="235" />
        <source>Default country</source>
        <translation>Default country</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="236" />
        <source>Integration</source>
        <translation>Integration</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="242" />
        <source>System language</source>
        <translation>System language</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="245" />
        <source>Start Trubka when I sign in</source>
        <translation>Start Trubka when I sign in</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="246" />
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="250" />
        <source>Log folder</source>
        <translation>Log folder</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="251" />
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="282" />
        <source>Set by your administrator</source>
        <translation>Set by your administrator</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="122" />
        <source>the server refused the connection</source>
        <translation>the server refused the connection</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="123" />
        <source>server name not found (DNS)</source>
        <translation>server name not found (DNS)</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="124" />
        <source>TLS certificate not trusted</source>
        <translation>TLS certificate not trusted</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="125" />
        <source>the server does not answer</source>
        <translation>the server does not answer</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="134" />
        <source>Connected to {host} — ext. {ext}</source>
        <translation>Connected to {host} — ext. {ext}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="138" />
        <source>Connecting to {host}…</source>
        <translation>Connecting to {host}…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="140" />
        <source>No connection to the server: {detail}</source>
        <translation>No connection to the server: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="144" />
        <source>Signed out — enter a new token in Settings</source>
        <translation>Signed out — enter a new token in Settings</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="146" />
        <source>Connection error: {detail}</source>
        <translation>Connection error: {detail}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="149" />
        <source>Not set up — open Settings</source>
        <translation>Not set up — open Settings</translation>
    </message>
</context>
<context>
    <name>TrayMenu</name>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="87" />
        <source>Dial…</source>
        <translation>Dial…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="88" />
        <source>Address book</source>
        <translation>Address book</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="89" />
        <location filename="../../app/trubka/desktop/views/tray.py" line="115" />
        <source>Call journal</source>
        <translation>Call journal</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="90" />
        <source>Do not disturb</source>
        <translation>Do not disturb</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="96" />
        <source>Simulate</source>
        <translation>Simulate</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="101" />
        <source>Settings…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="102" />
        <source>About Trubka</source>
        <translation>About Trubka</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="104" />
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/tray.py" line="113" />
        <source>Call journal ({n} missed)</source>
        <translation>Call journal ({n} missed)</translation>
    </message>
</context>
<context>
    <name>TrubkaApp</name>
    <message>
        <location filename="../../app/trubka/desktop/errors.py" line="89" />
        <source>Trubka</source>
        <translation>Trubka</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="37" />
        <source>Enter the relay address, e.g. https://relay.example.ru</source>
        <translation>Enter the relay address, e.g. https://relay.example.ru</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="38" />
        <source>The address must start with https:// and name a host</source>
        <translation>The address must start with https:// and name a host</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="39" />
        <source>Use https:// — plain http is allowed only on this computer</source>
        <translation>Use https:// — plain http is allowed only on this computer</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="41" />
        <source>The address must not contain a query, fragment or user name</source>
        <translation>The address must not contain a query, fragment or user name</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="43" />
        <source>An extension is up to 32 letters, digits, dots, dashes or underscores</source>
        <translation>An extension is up to 32 letters, digits, dots, dashes or underscores</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="45" />
        <source>Not a scheme a CRM link may use</source>
        <translation>Not a scheme a CRM link may use</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="46" />
        <source>No such file</source>
        <translation>No such file</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="47" />
        <source>The template must contain a placeholder such as {phone}</source>
        <translation>The template must contain a placeholder such as {phone}</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="48" />
        <source>A two-letter country code such as RU</source>
        <translation>A two-letter country code such as RU</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="49" />
        <source>Between 1 and 600 seconds</source>
        <translation>Between 1 and 600 seconds</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="50" />
        <source>Russian, English or the system language</source>
        <translation>Russian, English or the system language</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="51" />
        <source>Unknown choice</source>
        <translation>Unknown choice</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="52" />
        <source>The token looks incomplete; paste it again</source>
        <translation>The token looks incomplete; paste it again</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="53" />
        <source>the template is empty</source>
        <translation>the template is empty</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="54" />
        <source>the address must start with https://, http:// or e1c://</source>
        <translation>the address must start with https://, http:// or e1c://</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="55" />
        <source>the address has no host name</source>
        <translation>the address has no host name</translation>
    </message>
    <message>
        <location filename="../../app/trubka/desktop/views/settings_dialog.py" line="56" />
        <source>the template must contain {phone}, {digits} or {local}</source>
        <translation>the template must contain {phone}, {digits} or {local}</translation>
    </message>
</context>
</TS>
