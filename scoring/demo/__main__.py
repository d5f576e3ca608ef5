"""``python -m scoring.demo``: write the demonstration year."""
from . import main

raise SystemExit(main())
