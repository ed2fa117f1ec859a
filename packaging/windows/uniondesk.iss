; UnionDesk 基层工会工作台: the Windows installer (Inno Setup 6.3 or newer, or Inno Setup 7).
;
; Build the program first (packaging/README.md), then, from this folder:
;     iscc /DAppVersion=0.1.0 uniondesk.iss
; The installer lands in dist\UnionDesk-<version>-windows-x64-setup.exe at the repository top.
;
; What it does:
; - installs for the current user only, without administrator rights, into
;   %LOCALAPPDATA%\Programs\UnionDesk (PrivilegesRequired=lowest maps {autopf} there);
; - puts UnionDesk on the Start menu and, unless unticked, on the desktop;
; - speaks Simplified Chinese;
; - an upgrade replaces the program files only. The 账套, backups, settings and logs live in
;   %LOCALAPPDATA%\UnionDesk\UnionDesk (platformdirs), outside the program folder, so neither an
;   upgrade nor the uninstaller touches them: nothing below deletes anything but program files.

#if Ver < EncodeVer(6, 3, 0)
  #error 需要 Inno Setup 6.3 或更新的版本（本脚本为 UTF-8 无 BOM 编码，并使用 x64compatible）
#endif

#ifndef AppVersion
  #error 请用 /DAppVersion=版本号 给出版本，例如：iscc /DAppVersion=0.1.0 uniondesk.iss
#endif

#define AppName "UnionDesk 基层工会工作台"
#define AppExe "UnionDesk.exe"
#define Bundle "..\..\dist\UnionDesk"

; Simplified Chinese is an official translation from Inno Setup 7.0 on (compiler:Languages);
; with Inno Setup 6 put ChineseSimplified.isl from the unofficial translations beside this
; script (packaging/README.md says where to get it).
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages "ChineseSimplified.isl"
#else
  #error 找不到简体中文界面文件 ChineseSimplified.isl：请把它放在本脚本旁边（见 packaging/README.md）
#endif

#if !FileExists(AddBackslash(SourcePath) + Bundle + "\" + AppExe)
  #error 找不到 dist\UnionDesk\UnionDesk.exe：请先用 PyInstaller 构建程序（见 packaging/README.md）
#endif

[Setup]
; The AppId ties every version together: an upgrade finds the earlier install by it.
; Never change it, and never reuse it for another program.
AppId={{637C7C4B-B99A-4B1A-ABEA-273BAA7CCD9B}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=UnionDesk
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; per user, no administrator rights: {autopf} is %LOCALAPPDATA%\Programs
PrivilegesRequired=lowest
DefaultDirName={autopf}\UnionDesk
DisableProgramGroupPage=yes
; the program is 64-bit (a 64-bit Python and Qt)
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 and newer
MinVersion=10.0
WizardStyle=modern
ShowLanguageDialog=no
SetupIconFile=..\..\resources\icons\uniondesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; a running UnionDesk is asked to close (it backs up on exit) before its files are replaced
CloseApplications=yes
Compression=lzma2
SolidCompression=yes
OutputDir=..\..\dist
OutputBaseFilename=UnionDesk-{#AppVersion}-windows-x64-setup

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"

[Messages]
UninstalledAll=%1 已从这台电脑上删除。%n%n账套、备份和日志不在程序文件夹里，都保留着（在“AppData\Local\UnionDesk”文件夹中）；重新安装后可以继续使用。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; an upgrade starts from clean program libraries, so none of an older version's files linger;
; only the program folder: the data folder is elsewhere
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; the PyInstaller onedir bundle: UnionDesk.exe (the window), uniondesk-cli.exe (the command line), _internal\
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes only what it installed.
