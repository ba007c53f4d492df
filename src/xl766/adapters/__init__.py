"""Thin I/O around the engine: files, workbooks, Excel, the command line."""
