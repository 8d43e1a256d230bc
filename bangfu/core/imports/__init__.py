"""The generic spreadsheet import framework: read a messy .csv/.xlsx, normalise its values,
collect row errors, write the error report and record progress on `core.ImportBatch`.

Every app's importer is built from these pieces so that users meet one behaviour everywhere:
the same header detection, the same yes/no spellings, the same error report.

- `reader.open_table(path, columns)` streams rows with the header row found below any titles.
- `normalize` turns a raw cell into text, a number, a yes/no or a date, or raises `ValueError`
  carrying a plain-Chinese reason.
- `errors.RowError` is one rejected value; `errors.write_report()` writes them as .xlsx or .csv.
- `runner` records progress on an `ImportBatch` and runs an import in a background thread.
- `bulk` writes rows set-wise (COPY / executemany with ids allocated up front) and builds the
  audit entries of created rows in SQL, so that an import is a few statements per chunk.
- `views` are the upload / progress / error report / export pages.
"""
