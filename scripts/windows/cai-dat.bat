@echo off
rem Cai xl766 vao C:\XL766 tu thu muc wheelhouse ben canh tep nay (khong can mang).
rem Duong dan phai chi co chu ASCII: xlwings khoi dong Python qua mot lenh Windows ANSI.
rem Ghi nhat ky vao C:\XL766\cai-dat.log. Chay lai duoc: ban moi thay ban cu; tep mau cu
rem (C:\XL766\mau) duoc giu lai ben canh, ghi them ngay gio; so lieu cua can bo khong bi dung toi.
setlocal
set TARGET=C:\XL766
set TEMPLATES=%TARGET%\mau
set HERE=%~dp0
set LOG=%TARGET%\cai-dat.log
rem The Python version the wheelhouse was made for (make-wheelhouse.sh writes it).
set /p PYV=<"%HERE%wheelhouse\python-version.txt"
where py >nul 2>nul && (set PY=py -%PYV%) || (set PY=python)
if not exist "%TARGET%" mkdir "%TARGET%" || goto :failed
if not exist "%TEMPLATES%" mkdir "%TEMPLATES%" || goto :failed
echo [%date% %time%] Cai xl766 tu %HERE% (Python %PYV%) > "%LOG%"
for /f %%d in ('powershell -NoProfile -Command "Get-Date -Format yyyyMMdd-HHmmss"') do set STAMP=%%d
rem --clear: a venv left by an older or broken install is emptied, not patched.
%PY% -m venv --clear "%TARGET%\.venv" >> "%LOG%" 2>&1 || goto :failed
rem --upgrade --force-reinstall: the wheels of this folder replace any earlier xl766 code.
rem --require-hashes: a wheel changed on the way (USB stick, share) is refused.
"%TARGET%\.venv\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%wheelhouse" --upgrade --force-reinstall --require-hashes -r "%HERE%wheelhouse\requirements.txt" >> "%LOG%" 2>&1 || goto :failed
"%TARGET%\.venv\Scripts\python.exe" -c "import xlwings, xl766.excel.udfs; print('xlwings', xlwings.__version__)" >> "%LOG%" 2>&1 || goto :failed
rem Templates go to their own folder; a template already there is kept beside, dated.
for %%f in ("%HERE%*.xlsm") do (
    if exist "%TEMPLATES%\%%~nxf" ren "%TEMPLATES%\%%~nxf" "%%~nf-%STAMP%%%~xf" >> "%LOG%" 2>&1
    copy "%%f" "%TEMPLATES%\" >> "%LOG%" 2>&1 || goto :failed
)
if not exist "%TEMPLATES%\xl766.xlsm" goto :failed
rem Drag an old filled workbook onto cap-nhat-mau.bat: its data move into the current template.
rem (in a batch file COPY replaces without asking; the .bat is ours, never a clerk's file)
copy "%HERE%cap-nhat-mau.bat" "%TARGET%\" >> "%LOG%" 2>&1 || goto :failed
rem Files from a download or a USB stick carry the Mark of the Web: Office then blocks their macros.
powershell -NoProfile -Command "Get-ChildItem -Recurse -File '%TARGET%' | Unblock-File" >> "%LOG%" 2>&1 && echo Da bo dau tai tu Internet (Unblock-File) >> "%LOG%"
rem C:\XL766 and its subfolders as a Trusted Location of this user (HKCU: no admin needed).
reg add "HKCU\Software\Microsoft\Office\16.0\Excel\Security\Trusted Locations\xl766" /v Path /t REG_SZ /d "%TARGET%\" /f >> "%LOG%" 2>&1 && reg add "HKCU\Software\Microsoft\Office\16.0\Excel\Security\Trusted Locations\xl766" /v AllowSubfolders /t REG_DWORD /d 1 /f >> "%LOG%" 2>&1 && echo Da them %TARGET% vao Trusted Locations cua Excel >> "%LOG%"
echo Da cai xong. Chep %TEMPLATES%\xl766.xlsm (hoac ban cua tinh) vao mot thu muc trong %TARGET% roi mo de dung. Nhat ky: %LOG%
echo [%date% %time%] Xong. >> "%LOG%"
pause
exit /b 0
:failed
echo Cai dat loi: xem %LOG%. Can Python %PYV% 64-bit (python.org), duong dan ASCII.
echo [%date% %time%] LOI. >> "%LOG%"
pause
exit /b 1
