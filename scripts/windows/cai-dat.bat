@echo off
rem Cai xl766 vao C:\XL766 tu thu muc wheelhouse ben canh tep nay (khong can mang).
rem Duong dan phai chi co chu ASCII: xlwings khoi dong Python qua mot lenh Windows ANSI.
setlocal
set TARGET=C:\XL766
set HERE=%~dp0
where py >nul 2>nul && (set PY=py -3.11) || (set PY=python)
if not exist "%TARGET%" mkdir "%TARGET%"
%PY% -m venv "%TARGET%\.venv" || goto :failed
"%TARGET%\.venv\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%wheelhouse" xl766 || goto :failed
"%TARGET%\.venv\Scripts\python.exe" -c "import xlwings, xl766.excel.udfs; print(xlwings.__version__)" || goto :failed
copy /Y "%HERE%*.xlsm" "%TARGET%\" >nul
echo Da cai xong. Mo %TARGET%\xl766.xlsm (hoac ban cua tinh) de dung.
exit /b 0
:failed
echo Cai dat loi: xem thong bao o tren. Can Python 3.11 64-bit.
exit /b 1
