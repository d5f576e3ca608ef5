"""The site stage: one Jinja environment, page models, charts, Markdown, data export and the
writer that swaps the new site in."""
