; Trubka: the per-user Windows installer (Inno Setup 6.3 or later).
;
; Built by .github/workflows/release.yml on a windows runner, after the PyInstaller bundle:
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\pyinstaller\trubka.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\trubka.iss      -> dist\trubka-0.1.0-setup.exe
;
; Needs no administrator rights: installs into the user's own Program Files
; (%LOCALAPPDATA%\Programs\Trubka), Start menu and HKCU. Silent install for administrators:
;   trubka-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /RELAY=https://relay.example.ru
; /RELAY from an elevated process writes the company defaults for every user of the machine,
; %ProgramData%\Trubka\trubka.ini; from a normal (per-user) process it sets the relay address
; of a user who has no settings yet. docs/install.md says exactly what and when.
;
; The registry entries and the names below between BEGIN/END GENERATED come from
; trubka.desktop.platform (the app's own `trubka integrate` writes the same entries):
; edit them there and run `python packaging/windows/gen_iss.py`; a test fails otherwise.

; BEGIN GENERATED defines
#define AppName "Trubka"
#define AppUserModelID "Trubka.Desktop"
#define DefaultAppsUri "ms-settings:defaultapps?registeredAppUser=Trubka"
; END GENERATED defines

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\trubka.iss
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\trubka"
#endif

[Setup]
AppId={{6F2B8C1E-4D7A-4E4B-9C2E-0B7D5A3F8E21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Trubka authors
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ChangesAssociations=yes
CloseApplications=yes
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
OutputDir=..\..\dist
OutputBaseFilename=trubka-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
UninstallDisplayIcon={app}\trubka.exe
UninstallDisplayName={#AppName}
SetupLogging=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[CustomMessages]
en.StartAtLogin=Start Trubka when I sign in to Windows
ru.StartAtLogin=Запускать Трубку при входе в Windows
en.LaunchNow=Start Trubka now
ru.LaunchNow=Запустить Трубку
en.BadRelay=The /RELAY address must start with https:// (plain http:// only for this computer).
ru.BadRelay=Адрес /RELAY должен начинаться с https:// (http:// — только для этого компьютера).

[Tasks]
Name: "startup"; Description: "{cm:StartAtLogin}"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\trubka.exe"; AppUserModelID: "{#AppUserModelID}"

[Dirs]
Name: "{commonappdata}\Trubka"; Flags: uninsneveruninstall; Check: WriteCompanyDefaults
Name: "{localappdata}\trubka"; Flags: uninsneveruninstall; Check: WriteUserRelay

[INI]
; Company defaults: kept on uninstall (they belong to the machine's administrator, and
; other users of this machine may rely on them).
Filename: "{commonappdata}\Trubka\trubka.ini"; Section: "trubka"; Key: "relay_url"; String: "{param:RELAY}"; Check: WriteCompanyDefaults
; The user's own settings: only when the user has none yet; removed on uninstall.
Filename: "{localappdata}\trubka\settings.ini"; Section: "trubka"; Key: "relay_url"; String: "{param:RELAY}"; Flags: uninsdeleteentry uninsdeletesectionifempty; Check: WriteUserRelay

[Run]
Filename: "{app}\trubka.exe"; Description: "{cm:LaunchNow}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}"

[Code]
var
  UserHadSettings: Boolean;

function Relay: String;
begin
  Result := ExpandConstant('{param:RELAY}');
end;

function RelayAllowed(Value: String): Boolean;
var
  Lower: String;
begin
  Lower := Lowercase(Value);
  Result := (Value = '') or (Pos('https://', Lower) = 1)
    or (Pos('http://127.0.0.1', Lower) = 1) or (Pos('http://localhost', Lower) = 1)
    or (Pos('http://[::1]', Lower) = 1);
end;

function InitializeSetup: Boolean;
begin
  Result := RelayAllowed(Relay);
  if not Result then
    SuppressibleMsgBox(CustomMessage('BadRelay'), mbError, MB_OK, IDOK);
  UserHadSettings := FileExists(ExpandConstant('{localappdata}\trubka\settings.ini'));
end;

function WriteCompanyDefaults: Boolean;
begin
  Result := (Relay <> '') and IsAdmin;
end;

function WriteUserRelay: Boolean;
begin
  Result := (Relay <> '') and (not IsAdmin) and (not UserHadSettings);
end;

; BEGIN GENERATED registry
[Registry]
; HKA is HKCU here: the installer always runs per user.
Root: HKA; Subkey: "Software\Classes\Trubka.Url"; ValueType: string; ValueName: ""; ValueData: "Trubka phone link"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Trubka.Url"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Trubka.Url\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\trubka.exe,0"
Root: HKA; Subkey: "Software\Classes\Trubka.Url\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\trubka.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Trubka.Url\Application"; ValueType: string; ValueName: "ApplicationName"; ValueData: "Trubka"
Root: HKA; Subkey: "Software\Classes\Trubka.Url\Application"; ValueType: string; ValueName: "AppUserModelID"; ValueData: "Trubka.Desktop"
Root: HKA; Subkey: "Software\Classes\tel"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: ""; ValueData: "URL:tel"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\tel\DefaultIcon"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\tel\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\trubka.exe,0"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\tel\shell"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\tel\shell\open"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\tel\shell\open\command"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\tel\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\trubka.exe"" ""%1"""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\callto"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: ""; ValueData: "URL:callto"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\callto\DefaultIcon"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\callto\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\trubka.exe,0"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\callto\shell"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\callto\shell\open"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\callto\shell\open\command"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\callto\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\trubka.exe"" ""%1"""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\sip"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: ""; ValueData: "URL:sip"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\sip\DefaultIcon"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\sip\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\trubka.exe,0"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\sip\shell"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\sip\shell\open"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\sip\shell\open\command"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\sip\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\trubka.exe"" ""%1"""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\trubka"; ValueType: string; ValueName: ""; ValueData: "URL:Trubka enrolment link"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\trubka"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\trubka\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\trubka.exe,0"
Root: HKA; Subkey: "Software\Classes\trubka\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\trubka.exe"" ""%1"""
Root: HKA; Subkey: "Software\Trubka"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Trubka\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "Trubka"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Trubka\Capabilities"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Call popups and click-to-call for tel:, callto: and sip: links"
Root: HKA; Subkey: "Software\Trubka\Capabilities"; ValueType: string; ValueName: "ApplicationIcon"; ValueData: "{app}\trubka.exe,0"
Root: HKA; Subkey: "Software\Trubka\Capabilities\URLAssociations"; ValueType: string; ValueName: "tel"; ValueData: "Trubka.Url"
Root: HKA; Subkey: "Software\Trubka\Capabilities\URLAssociations"; ValueType: string; ValueName: "callto"; ValueData: "Trubka.Url"
Root: HKA; Subkey: "Software\Trubka\Capabilities\URLAssociations"; ValueType: string; ValueName: "sip"; ValueData: "Trubka.Url"
Root: HKA; Subkey: "Software\Trubka\Capabilities\URLAssociations"; ValueType: string; ValueName: "trubka"; ValueData: "Trubka.Url"
Root: HKA; Subkey: "Software\RegisteredApplications"; ValueType: none; Flags: uninsdeletekeyifempty
Root: HKA; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "Trubka"; ValueData: "Software\Trubka\Capabilities"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "Trubka"; ValueData: """{app}\trubka.exe"""; Flags: uninsdeletevalue; Tasks: startup
; END GENERATED registry
