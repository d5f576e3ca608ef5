"""kaoping: the scoring and bulletin system for 政务信息工作考评.

One subpackage per stage: :mod:`.ledger` (files → a checked ledger or problems),
:mod:`.rulebook` (scores and ranks), :mod:`.site` (pages and data files), :mod:`.audit` (git
history: change log, provenance, corrections). :mod:`.pipeline` runs them in order;
:mod:`.cli` is the command line, which alone decides the exit status.
"""
