; Windows installer for the counter (NSIS 3, Unicode). Compiled by
;     python installer/build.py nsis --from dist\counter-app
; which defines VERSION, VIVERSION (four numbers), SOURCE (the PyInstaller bundle folder), EXE,
; ICON, OUTFILE and APPNAME (counter_app.PRODUCT_NAME). Per-machine: Program Files and the
; all-users Start menu, so it needs an administrator once; the officers' data
; (%LOCALAPPDATA%\counter_app) is never touched, also not by the uninstaller.

Unicode true
ManifestDPIAware true
!ifdef NOCOMPRESS
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !error "VERSION not defined: compile through installer/build.py nsis"
!endif
!ifndef APPNAME
  !error "APPNAME not defined: compile through installer/build.py nsis"
!endif

!define REGKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\counter-app"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
Icon "${ICON}"
UninstallIcon "${ICON}"
InstallDir "$PROGRAMFILES64\counter-app"
InstallDirRegKey HKLM "${REGKEY}" "InstallLocation"
RequestExecutionLevel admin

VIProductVersion "${VIVERSION}"
VIFileVersion "${VIVERSION}"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} – trình cài đặt"
VIAddVersionKey /LANG=0 "CompanyName" "counter_app"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT"

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetShellVarContext all
  ${If} ${RunningX64}
    SetRegView 64
  ${EndIf}
FunctionEnd

Function un.onInit
  SetShellVarContext all
  ${If} ${RunningX64}
    SetRegView 64
  ${EndIf}
FunctionEnd

; An update started by the counter itself ("setup.exe /S /UPDATE", sync/install.py): the counter
; closes its store and exits right after starting us, so wait until its program file can be
; written (at most a minute) instead of failing on a file still in use.
Function WaitForCounterToExit
  StrCpy $0 0
  retry:
    IfFileExists "$INSTDIR\${EXE}" 0 free
    ClearErrors
    FileOpen $1 "$INSTDIR\${EXE}" a
    IfErrors busy
    FileClose $1
    Goto free
  busy:
    IntOp $0 $0 + 1
    IntCmp $0 120 free
    Sleep 500
    Goto retry
  free:
FunctionEnd

Section "Install"
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/UPDATE" $R1
  IfErrors +2 0
    Call WaitForCounterToExit
  SetOutPath "$INSTDIR"
  ; A new version replaces the program files; the data folder lives elsewhere and stays.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APPNAME}\Gỡ cài đặt.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKLM "${REGKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${REGKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${REGKEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKLM "${REGKEY}" "Publisher" "counter_app"
  WriteRegStr HKLM "${REGKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${REGKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${REGKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${REGKEY}" "NoRepair" 1

  ; "Cài ngay" at the counter: start the new version as the signed-in officer, not as the
  ; administrator this installer runs as (explorer.exe starts it un-elevated, in the officer's
  ; profile, so it opens the officer's data folder).
  ClearErrors
  ${GetOptions} $R0 "/RELAUNCH" $R1
  IfErrors +2 0
    Exec '"$WINDIR\explorer.exe" "$INSTDIR\${EXE}"'
SectionEnd

Section "Uninstall"
  ; Only the program folder, shortcuts and registry entry: the database, backups and prints in
  ; each officer's %LOCALAPPDATA%\counter_app stay (they are the office's records).
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\counter-app.exe"
  Delete "$INSTDIR\counter-app-window.exe"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${REGKEY}"
SectionEnd
