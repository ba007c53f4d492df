@echo off
rem Cai xl766 vao C:\XL766 tu thu muc wheelhouse ben canh tep nay (khong can mang).
rem Duong dan phai chi co chu ASCII: xlwings khoi dong Python qua mot lenh Windows ANSI.
rem Ghi nhat ky vao C:\XL766\cai-dat.log. Chay lai duoc: ban moi thay ban cu.
setlocal
set TARGET=C:\XL766
set HERE=%~dp0
set LOG=%TARGET%\cai-dat.log
where py >nul 2>nul && (set PY=py -3.11) || (set PY=python)
if not exist "%TARGET%" mkdir "%TARGET%" || goto :failed
echo [%date% %time%] Cai xl766 tu %HERE% > "%LOG%"
rem --clear: a venv left by an older or broken install is emptied, not patched.
%PY% -m venv --clear "%TARGET%\.venv" >> "%LOG%" 2>&1 || goto :failed
rem --upgrade --force-reinstall: the wheels of this folder replace any earlier xl766 code.
"%TARGET%\.venv\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%wheelhouse" --upgrade --force-reinstall -r "%HERE%wheelhouse\requirements.txt" xl766 >> "%LOG%" 2>&1 || goto :failed
"%TARGET%\.venv\Scripts\python.exe" -c "import xlwings, xl766.excel.udfs; print('xlwings', xlwings.__version__)" >> "%LOG%" 2>&1 || goto :failed
copy /Y "%HERE%*.xlsm" "%TARGET%\" >> "%LOG%" 2>&1 || goto :failed
if not exist "%TARGET%\xl766.xlsm" goto :failed
echo Da cai xong. Mo %TARGET%\xl766.xlsm (hoac ban cua tinh) de dung. Nhat ky: %LOG%
echo [%date% %time%] Xong. >> "%LOG%"
pause
exit /b 0
:failed
echo Cai dat loi: xem %LOG%. Can Python 3.11 64-bit (python.org), duong dan ASCII.
echo [%date% %time%] LOI. >> "%LOG%"
pause
exit /b 1
