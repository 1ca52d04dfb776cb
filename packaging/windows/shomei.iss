; Inno Setup script for Shomei on Windows (built on a Windows machine from the
; PyInstaller one-folder bundle: `pyinstaller packaging\pyinstaller\shomei.spec`,
; then `iscc packaging\windows\shomei.iss`).
; Registers Shomei under "Open with" for .pdf WITHOUT taking over the default
; PDF application: it adds an OpenWithProgids entry and an Applications key,
; never writes HKCR\.pdf's default value.

#define AppName "Shomei"
#define AppVersion "0.1.0"
#define AppExe "shomei.exe"
#define ProgId "Shomei.PDF"

[Setup]
AppId={{6A0F5E1C-2B6E-4E0B-9C64-5A8E2D1B7C31}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The Shomei developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
OutputBaseFilename=shomei-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"

[Files]
Source: "..\..\dist\shomei\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Registry]
; Our own ProgID, used only through "Open with".
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueData: "PDF document (Shomei)"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueData: """{app}\{#AppExe}"",0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\validate"; ValueType: string; ValueData: "Validate signatures"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\validate\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" --gui-validate ""%1"""
; Listed under "Open with" for .pdf; the default handler is left untouched.
Root: HKA; Subkey: "Software\Classes\.pdf\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".pdf"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
