@echo off
rem Keo tha mot so .xlsm cu (cua ban xl766 truoc) vao tep nay: so lieu duoc chuyen sang mau moi,
rem ghi thanh "<ten cu> (mau moi).xlsm" ben canh; tep cu giu nguyen. Chay: xl766 cap-nhat-mau.
setlocal
set XL766=C:\XL766\.venv\Scripts\xl766.exe
if "%~1"=="" goto :usage
:next
if "%~1"=="" goto :done
"%XL766%" cap-nhat-mau "%~1" -o "%~dpn1 (mau moi).xlsm" || echo Khong chuyen duoc "%~nx1": xem thong bao o tren.
shift
goto :next
:usage
echo Keo tha tep .xlsm cu vao cap-nhat-mau.bat (hoac: cap-nhat-mau.bat "D:\so lieu\thang-9.xlsm").
:done
pause
exit /b 0
