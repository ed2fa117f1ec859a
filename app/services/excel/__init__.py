"""Spreadsheets in and out: safe reading (python-calamine), finding the table, normalising
cell values, and writing formatted workbooks (openpyxl). Reusable for every kind of sheet:
rosters now, payroll, past care records and budgets later."""
