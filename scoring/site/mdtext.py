"""The office's Markdown (``notice.md``, ``bulletin.md``) as safe HTML.

CommonMark with raw HTML disabled: ``<b>`` typed in a bulletin shows as text. Nothing may be
fetched from outside the site and every link must work from a file share, so images become
their alt text and links that leave the site become plain text followed by their address.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape


def _level(tag: str, env: EnvType) -> int:
    """The page's heading level for a Markdown heading tag (see :func:`markdown_to_html`)."""
    return int(env["levels"].get(int(tag[1]), 6))


def _is_external(href: str) -> bool:
    return href.startswith("//") or ":" in href.split("/", 1)[0]


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The parser, made once."""

    class _SiteRenderer(RendererHTML):
        """CommonMark HTML, except for images, outside links and heading levels."""

        def heading_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                         env: EnvType) -> str:
            return f"<h{_level(tokens[idx].tag, env)}>"

        def heading_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                          env: EnvType) -> str:
            return f"</h{_level(tokens[idx].tag, env)}>\n"

        def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
            alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
            return str(escape(alt))

        def link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                      env: EnvType) -> str:
            href = str(tokens[idx].attrGet("href") or "")
            if _is_external(href):
                tokens[idx].meta["external"] = href
                return ""
            return self.renderToken(tokens, idx, options, env)

        def link_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                       env: EnvType) -> str:
            depth = 0  # find the matching link_open to know whether it was dropped
            for j in range(idx - 1, -1, -1):
                if tokens[j].type == "link_close":
                    depth += 1
                elif tokens[j].type == "link_open":
                    if depth == 0:
                        href = tokens[j].meta.get("external")
                        return f"（{escape(href)}）" if href else "</a>"
                    depth -= 1
            return "</a>"

    return MarkdownIt("commonmark", {"html": False}, renderer_cls=_SiteRenderer)


def _heading_levels(tokens: Sequence[Token], top: int) -> dict[int, int]:
    """The distinct Markdown heading levels used, in order, as ``top``, ``top + 1``, …"""
    used = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
    return {level: min(6, top + i) for i, level in enumerate(used)}


def markdown_to_html(text: str | None, top: int = 2) -> Markup:
    """Render Markdown text to HTML; ``None`` renders as nothing.

    The office's headings sit below the page's own and never skip a level: the distinct
    levels used in the text become ``<h{top}>``, ``<h{top + 1}>``, … in order.
    """
    if not text:
        return Markup("")
    md = markdown_parser()
    tokens = md.parse(text)
    env = {"levels": _heading_levels(tokens, top)}
    return Markup(md.renderer.render(tokens, md.options, env))


def markdown_blocks(text: str | None, top: int = 2) -> list[Markup]:
    """The top-level blocks (paragraphs, headings, lists, quotes) rendered one by one.

    Headings are numbered over the whole text, as in :func:`markdown_to_html`; joining the
    blocks gives the same HTML.
    """
    if not text:
        return []
    md = markdown_parser()
    tokens = md.parse(text)
    env = {"levels": _heading_levels(tokens, top)}
    blocks: list[Markup] = []
    start, depth = 0, 0
    for i, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:
            blocks.append(Markup(md.renderer.render(tokens[start:i + 1], md.options, env)))
            start = i + 1
    return blocks
