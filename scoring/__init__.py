"""kaoping: the scoring and bulletin system for 政务信息工作考评.

Stages, one module each: ``source`` (read and locate TOML), ``config`` (units.toml and
rules.toml), ``load`` (monthly unit ledgers), ``validate`` (cross-record rules), then scoring,
ranking, rendering and audit. Problems are values (:class:`scoring.problems.Problem`); only the
command line (:mod:`scoring.cli`) decides the exit status.
"""
