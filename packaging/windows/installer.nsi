; Station Desk (劳保站工作台) installer: per user, no administrator rights.
; makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVERSION4=0.1.0.1 -DPUBLISHER=... \
;   -DSRC=folder-with-stationdesk.exe-stationctl.exe-使用说明.txt-icon.ico -DOUTFILE=setup.exe installer.nsi
; Uninstall keeps the data folder (%APPDATA%\StationDesk) unless the officer ticks
; its box, or passes /REMOVEDATA to a silent uninstall (/S).
Target amd64-unicode ; a 64-bit installer for a 64-bit program (and Wine without 32-bit support)
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include MUI2.nsh
!include FileFunc.nsh
!include LogicLib.nsh
!include Sections.nsh
!include WinVer.nsh

!define APPID "cn.stationdesk.app"
!define UNINST "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define NAME "劳保站工作台"

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\StationDesk"
InstallDirRegKey HKCU "Software\StationDesk" "InstallDir"
BrandingText "${NAME} ${VERSION}"

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "${NAME}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "FileDescription" "${NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${SRC}\icon.ico"
!define MUI_UNICON "${SRC}\icon.ico"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "安装 ${NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${NAME}是乡镇劳动保障站、社区服务中心和区县人社局的工作台。$\r$\n$\r$\n程序只为当前用户安装，不需要管理员权限。全部数据保存在本机的 %APPDATA%\StationDesk 文件夹，卸载程序时默认保留。$\r$\n$\r$\n点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\stationdesk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开${NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_TEXT_TOP "数据文件夹里是本单位的全部记录。默认保留；只有确定不再需要这些数据（例如已复制到新电脑）时，才勾选“同时删除全部数据”。" ; applies to the next components page
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "${NAME}需要 Windows 10 或更高版本（64 位）。$\r$\nWindows 7 和 Windows 8 无法运行本程序。" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

Section "${NAME}" SecMain
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${SRC}\stationdesk.exe"
  File "${SRC}\stationctl.exe"
  File "${SRC}\使用说明.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\StationDesk" "InstallDir" "$INSTDIR"

  CreateShortCut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\stationdesk.exe" "" "$INSTDIR\stationdesk.exe" 0
  CreateShortCut "$DESKTOP\${NAME}.lnk" "$INSTDIR\stationdesk.exe" "" "$INSTDIR\stationdesk.exe" 0

  ; A double-clicked .stbundle starts the program, which asks before importing it.
  WriteRegStr HKCU "Software\Classes\.stbundle" "" "StationDesk.Bundle"
  WriteRegStr HKCU "Software\Classes\StationDesk.Bundle" "" "${NAME}同步包"
  WriteRegStr HKCU "Software\Classes\StationDesk.Bundle\DefaultIcon" "" "$INSTDIR\stationdesk.exe,0"
  WriteRegStr HKCU "Software\Classes\StationDesk.Bundle\shell\open\command" "" '"$INSTDIR\stationdesk.exe" "%1"'

  ; 程序和功能 (Programs and Features)
  WriteRegStr HKCU "${UNINST}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINST}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST}" "DisplayIcon" "$INSTDIR\stationdesk.exe,0"
  WriteRegStr HKCU "${UNINST}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST}" "EstimatedSize" $0

  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "un.${NAME}程序" UnSecMain
  SectionIn RO
  SetShellVarContext current
  Delete "$INSTDIR\stationdesk.exe"
  Delete "$INSTDIR\stationctl.exe"
  Delete "$INSTDIR\使用说明.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${NAME}.lnk"
  Delete "$DESKTOP\${NAME}.lnk"
  ReadRegStr $0 HKCU "Software\Classes\.stbundle" ""
  ${If} $0 == "StationDesk.Bundle"
    DeleteRegKey HKCU "Software\Classes\.stbundle"
  ${EndIf}
  DeleteRegKey HKCU "Software\Classes\StationDesk.Bundle"
  DeleteRegKey HKCU "Software\StationDesk"
  DeleteRegKey HKCU "${UNINST}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section /o "un.同时删除全部数据" UnSecData
  SetShellVarContext current
  RMDir /r "$APPDATA\StationDesk"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecMain} "程序文件、开始菜单和桌面快捷方式、同步包文件关联。"
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "数据文件夹 %APPDATA%\StationDesk：本单位的全部记录和自动备份。删除后无法恢复。"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

Function un.onInit
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/REMOVEDATA" $1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd
