@echo off
rem Build the Windows installer of UnionDesk: the program with PyInstaller, then the installer
rem with Inno Setup. Needs 64-bit Python 3.11+ (the "py" launcher) and Inno Setup 6.3+ or 7.
rem Result: dist\UnionDesk-<version>-windows-x64-setup.exe. See packaging\README.md.
chcp 65001 >nul
setlocal
cd /d "%~dp0..\.."

if not exist .venv\Scripts\python.exe (
  py -3 -m venv .venv || goto :failed
)
.venv\Scripts\python -m pip install -q --upgrade pip || goto :failed
.venv\Scripts\python -m pip install -q -e ".[package]" || goto :failed
rem the Python modules stored, not deflated: the window starts sooner (see packaging/linux/build.sh);
rem the installer compresses them
set PYINSTALLER_ZLIB_COMPRESSION_LEVEL=0
.venv\Scripts\pyinstaller --noconfirm --clean packaging\uniondesk.spec || goto :failed

for /f %%v in ('.venv\Scripts\python -c "import app; print(app.__version__)"') do set VERSION=%%v

set ISCC=
where iscc >nul 2>nul && set ISCC=iscc
if not defined ISCC if exist "%ProgramFiles%\Inno Setup 7\ISCC.exe" set ISCC="%ProgramFiles%\Inno Setup 7\ISCC.exe"
if not defined ISCC if exist "%ProgramFiles(x86)%\Inno Setup 7\ISCC.exe" set ISCC="%ProgramFiles(x86)%\Inno Setup 7\ISCC.exe"
if not defined ISCC if exist "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" set ISCC="%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe"
if not defined ISCC if exist "%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe" set ISCC="%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe"
if not defined ISCC (
  echo 找不到 Inno Setup 的 ISCC.exe：请安装 Inno Setup 6.3 或更新的版本
  goto :failed
)
%ISCC% /DAppVersion=%VERSION% packaging\windows\uniondesk.iss || goto :failed
echo 完成：dist\UnionDesk-%VERSION%-windows-x64-setup.exe
exit /b 0

:failed
echo 构建失败，见上面的信息
exit /b 1
