"""``serve``: the site served from memory while the ledger and templates are edited.

:mod:`.site` keeps the rendered site and rebuilds it on save (writing only the files whose
bytes changed); :mod:`.server` serves it over HTTP, tells open pages to reload, and shows
the ledger's errors in a banner while the last good pages stay up.
"""
