"""Import from the OA platform (SPEC §6): exported 报送, 采用 and 批示 lists become ledger records.

The stages, one module each, arrows pointing one way (this package reads :mod:`scoring.ledger`,
nothing there reads it):

- :mod:`.workbook` a file's bytes → sheets of cells (xlsx and BIFF xls through python-calamine,
  HTML tables saved as ``.xls`` through :mod:`.htmltable`, CSV in UTF-8 or GBK);
- :mod:`.tables` sheets → the rows of the 报送, 采用 and 批示 tables, told apart by their headers;
- :mod:`.mapfile` the ``--map`` file that renames columns and values of other export layouts;
- :mod:`.cells` one cell → text or a date;
- :mod:`.records` rows → new ledger records, each with its unit, month and source row;
- :mod:`.plan` records against the ledger: skipped when already there, or a conflict;
- :mod:`.ledgertext` the TOML text appended to each unit file;
- :mod:`.trial` the would-be ledger checked by the real checker, problems traced to their rows;
- :mod:`.write` every file replaced, or none;
- :mod:`.importer` the one function the command line calls.
"""
