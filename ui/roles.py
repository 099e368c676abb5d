"""Who uses a session, and which pages each role may open.

Roles (:data:`igemo_fin.records.users.ROLES`): ``bestuur`` reads everything and records decisions,
``financien`` reads everything, uploads data and sets the official thresholds, ``beheer`` manages the
accounts (and sees only that page), ``gemeente`` sees only its own projects (:mod:`ui.visibility`).
Navigation shows each role its pages (:func:`pages_for_role`); a page not in the navigation cannot be
opened by URL, and every write action calls :func:`ui.auth.require_role` again before it writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath

from igemo_fin.records.users import ROLE_WORDS, ROLES

__all__ = ["DEMO_ROLES", "GEMEENTE_PAGES", "PAGE_ROLES", "READ_ROLES", "AppUser", "AuthState", "pages_for_role"]

READ_ROLES = ("bestuur", "financien")
"""Roles that see every project and every reading page."""
DEMO_ROLES = frozenset({"bestuur", "financien", "beheer"})

#: Pages that only some roles may open, by the page's file name (url path). Every other page is
#: a reading page for :data:`READ_ROLES`; a new page is therefore closed to gemeente and beheer
#: until it is listed here.
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "besluiten": ("bestuur", "financien"),       # recording: bestuur only (require_role on the page)
    "drempels_beheer": ("financien", "bestuur"),  # setting: financien only (require_role on the page)
    "gebruikers": ("beheer",),
    "gegevens": ("financien",),                  # uploads
    "mijn_gemeente": ("gemeente",),
    "werking": ("financien", "bestuur"),         # reading only: no write action on the page
    "meerjarenperspectief": ("bestuur", "financien"),  # IGEMO's own equity and credit
}
#: Pages a municipality may open: they read the (filtered) evaluation only.
GEMEENTE_PAGES = ("overzicht", "project", "mijn_gemeente")


@dataclass(frozen=True)
class AppUser:
    """Who uses this session."""

    name: str  #: username, e-mail address, or ``demo``
    roles: frozenset[str]
    gemeente: str | None = None  #: for role gemeente
    method: str = "lokaal"  #: ``oidc``, ``lokaal`` or ``demo``

    @property
    def label(self) -> str:
        roles = ", ".join(ROLE_WORDS[r] for r in ROLES if r in self.roles)
        return roles + (f" ({self.gemeente})" if self.gemeente else "")


@dataclass(frozen=True)
class AuthState:
    """The outcome of sign-in for this run: a user, or why there is none."""

    mode: str  #: ``oidc``, ``lokaal``, ``demo`` or ``geweigerd``
    user: AppUser | None
    problem: str = ""  #: Dutch, when there is no user for a reason the person should read


def _page_key(page) -> str:
    """The page's file name without ``.py`` (for a page that is a function: its url path)."""
    script = getattr(page, "_page", None)
    if isinstance(script, (str, PurePath)):
        return PurePath(script).stem
    return str(getattr(page, "_url_path", None) or page.url_path or page.title).strip("/")


def _may_open(roles: frozenset[str], key: str) -> bool:
    if key in PAGE_ROLES:
        return bool(roles & set(PAGE_ROLES[key]))
    if roles & set(READ_ROLES):
        return True
    return "gemeente" in roles and key in GEMEENTE_PAGES


def pages_for_role(role: str | Iterable[str] | None, pages: Mapping[str, list]) -> dict[str, list]:
    """The navigation sections and pages that ``role`` (or a set of roles) may open.

    Sections left empty are dropped. See :data:`PAGE_ROLES`, :data:`READ_ROLES` and
    :data:`GEMEENTE_PAGES`.
    """
    roles = frozenset() if role is None else frozenset({role}) if isinstance(role, str) else frozenset(role)
    out = {}
    for section, items in pages.items():
        allowed = [p for p in items if _may_open(roles, _page_key(p))]
        if allowed:
            out[section] = allowed
    return out
