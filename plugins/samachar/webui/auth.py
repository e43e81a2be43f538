"""Login for the Samachar view: the same JWT the Airflow UI uses, checked by Airflow's auth manager.

A plugin's FastAPI app is mounted inside the API server but gets none of Airflow's route security,
so every route here depends on :func:`require_user` (JSON: 401/403) or :func:`require_page_user`
(HTML: redirect to the auth manager's login page, then back).  The token comes from the
``Authorization: Bearer`` header or the ``_token`` cookie the Airflow UI sets, and is validated by
``airflow.api_fastapi.core_api.security.get_user`` — signature, expiry and revocation included.

Airflow's security module is imported on first use: plugins are loaded by every Airflow component,
and only the API server ever serves a request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import HTTPException, Request, status
from fastapi.security import HTTPBearer

if TYPE_CHECKING:
    from airflow.api_fastapi.auth.managers.models.base_user import BaseUser

_bearer = HTTPBearer(auto_error=False)


class NotAllowed(HTTPException):
    """Logged in, but the auth manager does not let this user use the UI."""

    def __init__(self) -> None:
        super().__init__(status.HTTP_403_FORBIDDEN, "Forbidden")


class LoginRequired(Exception):
    """A browser without a valid Airflow session: the app answers with a redirect to ``login_url``."""

    def __init__(self, login_url: str) -> None:
        super().__init__(login_url)
        self.login_url = login_url


async def require_user(request: Request) -> BaseUser:
    """The Airflow user behind the request; 401 without a token, 403 for a bad token or no access.

    Any authenticated user who may use the Airflow UI at all (``AccessView.WEBSITE``) may read the
    archive: it holds published news, nothing per-DAG.
    """
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
    from airflow.api_fastapi.core_api.security import get_user

    credentials = await _bearer(request)
    user = await get_user(request, _oauth_token=None, bearer_credentials=credentials)
    if not get_auth_manager().is_authorized_view(access_view=AccessView.WEBSITE, user=user):
        raise NotAllowed()
    return user


async def require_page_user(request: Request) -> BaseUser:
    """Like :func:`require_user`, but a browser with no valid session is sent to Airflow's login."""
    from airflow.api_fastapi.app import get_auth_manager

    try:
        return await require_user(request)
    except NotAllowed:  # logging in again would not help
        raise
    except HTTPException as exc:
        raise LoginRequired(get_auth_manager().get_url_login(next_url=str(request.url))) from exc
