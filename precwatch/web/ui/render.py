"""Rendering a page: the Jinja2 environment, the per-language gettext, the security headers of every page.

Pages carry a Content-Security-Policy without inline script (scripts and styles come from `/ui/static`,
data for scripts travels in `<script type="application/json">` blocks, which never execute), refuse to be
framed and send no referrer.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from precwatch.web.ui import i18n
from precwatch.web.ui.nav import NAV

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@cache
def environment(lang: str) -> Environment:
    """The template environment of one language (gettext installed from its catalogue)."""
    env = Environment(
        # The pages' templates, then the reports' (their partials are shared: the flagged-records table).
        loader=ChoiceLoader(
            [PackageLoader("precwatch.web", "templates"), PackageLoader("precwatch.io", "templates")]
        ),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(i18n.formatters(lang))
    return env


def secure(response: Response) -> Response:
    """`response` with the pages' security headers."""
    response.headers.update(SECURITY_HEADERS)
    return response


def page(
    request: Request, template: str, context: Mapping[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render `template` in the request's language with `context` (plus `lang`, `languages`, `nav`, `path`)."""
    lang = i18n.choose(request)
    html = (
        environment(lang)
        .get_template(template)
        .render(
            lang=lang,
            languages=i18n.LANGUAGES,
            nav=NAV,
            path=request.url.path,
            query=request.url.query,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    secure(response)
    return response


def redirect(url: str) -> Response:
    """A 303 See Other to `url` with the security headers."""
    return secure(RedirectResponse(url, status_code=303))
