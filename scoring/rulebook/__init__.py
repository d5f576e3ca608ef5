"""The rulebook stage: score, rank and their results, pure functions of a Ledger and its Rules."""
