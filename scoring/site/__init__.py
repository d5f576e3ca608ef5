"""The site stage: one Jinja environment, page models, charts, Markdown, data export and the
writer that swaps the new site in.

``SITE_SRC`` is the site's own source, ``site_src/`` at the top level (templates and static
files); it is named here so that the build memo can hash it without loading Jinja.
"""
from pathlib import Path

SITE_SRC = Path(__file__).resolve().parent.parent.parent / "site_src"
