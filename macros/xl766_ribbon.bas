Attribute VB_Name = "xl766_ribbon"
' Callbacks of the "Bao cao 766" ribbon tab: each onAction in customUI14.xml names one Sub here.
' The work is done in Python (xl766.excel.ribbon); RunPython is in the xlwings module.
Option Explicit

Public Sub TaoBaoCao(control As IRibbonControl)
    RunPython "import xl766.excel.ribbon as ribbon; ribbon.tao_bao_cao()"
End Sub

Public Sub KiemTraSoLieu(control As IRibbonControl)
    RunPython "import xl766.excel.ribbon as ribbon; ribbon.kiem_tra_so_lieu()"
End Sub

Public Sub LaySoLieuCong(control As IRibbonControl)
    RunPython "import xl766.excel.ribbon as ribbon; ribbon.lay_so_lieu_cong()"
End Sub

Public Sub HuongDan(control As IRibbonControl)
    ThisWorkbook.Worksheets(1).Activate  ' the first sheet is always the guide
End Sub
