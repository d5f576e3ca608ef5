"""The audit stage: git plumbing, the history walk, provenance, the change log, closing
and corrections, diff and textconv. It reads the ledger and scores with the rulebook."""
