"""The ledger stage: files and folders, TOML reading, schema, configuration, load, validate.

Everything that turns the bytes under ``ledger/`` into a checked :class:`~.model.Ledger` or a
list of :class:`~.problems.Problem` (``path:line: CODE message``).
"""
