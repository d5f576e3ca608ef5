#!/usr/bin/env python3
"""kaoping command line: ``python build.py [build|check|diff|new-month|close|textconv] …``."""
import sys

from scoring.cli import main

if __name__ == "__main__":
    sys.exit(main())
