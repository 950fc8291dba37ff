"""The HTML reports' templates: one Jinja2 environment over `precwatch/io/templates/*.html`.

Autoescaping is on (report content comes from untrusted files), undefined variables fail loudly, and
block tags leave no blank lines behind.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2


@cache
def environment() -> jinja2.Environment:
    """The shared environment (built once per process)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("precwatch.io", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["zip"] = zip
    return env


def render(name: str, **context: Any) -> str:
    """Render the template `name` (a file in precwatch/io/templates) with `context`."""
    return environment().get_template(name).render(**context)
