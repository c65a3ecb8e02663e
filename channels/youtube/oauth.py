"""Google OAuth for a YouTube account: its refresh token → short-lived access tokens.

The account's ``token`` is the refresh token. Access tokens are cached (encrypted, per account)
until a minute before they expire, and sent only as ``Authorization: Bearer`` headers.
"""

import hashlib
import json
import logging
from collections.abc import Callable

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from .. import crypto, http
from ..models import ChannelAccount
from ..transports.base import ErrorKind, Failure

logger = logging.getLogger("siar.channels.youtube")

EXPIRY_MARGIN = 60  # seconds: an access token is dropped this long before Google's expiry
DEFAULT_EXPIRES_IN = 3600


class AccessTokens:
    """Access tokens for one account, from the cache or Google's token endpoint."""

    def __init__(self, account: ChannelAccount, options: dict, *, timeout, clock: Callable[[], float]):
        self.account = account
        self.refresh_token = account.token
        self.client_id = str(options.get("CLIENT_ID") or settings.YOUTUBE_CLIENT_ID)
        # The secret only from settings: account options are stored in plain text.
        self.client_secret = str(settings.YOUTUBE_CLIENT_SECRET)
        self.token_url = str(options.get("TOKEN_URL") or settings.GOOGLE_OAUTH_TOKEN_URL)
        self.timeout = timeout
        self.clock = clock

    @property
    def cache_key(self) -> str:
        # The refresh token's fingerprint too: a reconnected account (maybe another channel)
        # must not keep using the access token of the previous one.
        fingerprint = hashlib.sha256(self.refresh_token.encode()).hexdigest()[:12]
        return f"siar:youtube:access-token:{self.account.pk}:{fingerprint}"

    def get(self) -> str | Failure:
        return self._cached() or self.refresh()

    def forget(self) -> None:
        cache.delete(self.cache_key)

    def _cached(self) -> str:
        blob = cache.get(self.cache_key)
        if not blob:
            return ""
        try:
            entry = json.loads(crypto.decrypt(blob))
        except (ImproperlyConfigured, ValueError):  # encrypted with a retired key, or garbage
            logger.info("account %s: discarding an unreadable cached access token", self.account.pk)
            return ""
        if float(entry.get("expires_at", 0)) <= self.clock():
            return ""
        return str(entry.get("token") or "")

    def refresh(self) -> str | Failure:
        """A new access token from Google (cached), or the failure that prevents it."""
        if not (self.client_id and self.client_secret):
            return Failure(
                ErrorKind.CONFIG,
                "The Google OAuth client is not configured: set the YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET "
                "settings (an account may name another client ID in its CLIENT_ID option).",
                "Use the client the account's refresh token was issued to (Google Cloud console → Credentials).",
            )
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        response = http.request("POST", self.token_url, data=form, timeout=self.timeout)
        if isinstance(response, Failure):
            return response
        payload = http.json_body(response)
        if response.status_code == 200 and isinstance(payload, dict) and payload.get("access_token"):
            return self._store(str(payload["access_token"]), payload.get("expires_in"))
        return self._refusal(response, payload)

    def _store(self, token: str, expires_in) -> str:
        try:
            lifetime = int(float(expires_in)) - EXPIRY_MARGIN
        except (TypeError, ValueError):
            lifetime = DEFAULT_EXPIRES_IN - EXPIRY_MARGIN
        if lifetime > 0:
            entry = json.dumps({"token": token, "expires_at": self.clock() + lifetime})
            cache.set(self.cache_key, crypto.encrypt(entry), lifetime)
        logger.info("account %s: new YouTube access token (usable for %ss)", self.account.pk, max(lifetime, 0))
        return token

    def _refusal(self, response: requests.Response, payload) -> Failure:
        code = str(payload.get("error") or "") if isinstance(payload, dict) else ""
        description = str(payload.get("error_description") or "") if isinstance(payload, dict) else ""
        said = f"Google's token endpoint answered HTTP {response.status_code}" + (
            f" ({code}: {description})" if code else ""
        )
        logger.info("account %s: access token refresh refused: %s", self.account.pk, said)
        if code == "invalid_grant":
            return Failure.auth(
                f"The refresh token was revoked or expired: reconnect the YouTube account. {said}",
                "Reconnect the YouTube account. Refresh tokens of a Google Cloud app still in 'Testing' expire "
                "after 7 days: publish the app's OAuth consent screen to keep them.",
            )
        if code in ("invalid_client", "unauthorized_client"):
            return Failure(
                ErrorKind.CONFIG,
                f"Google does not accept the OAuth client: {said}",
                "Check YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET: they must be the client the account was "
                "connected with.",
            )
        retry_after = http.retry_after_seconds(response.headers.get("Retry-After"))
        if response.status_code == 429 or response.status_code >= 500 or not code:
            return Failure.retryable(said, retry_after=retry_after)
        return Failure.auth(f"Google refused to refresh the access token: {said}")


class GoogleClient:
    """Calls with the account's access token; after a 401, one retry with a fresh token."""

    def __init__(self, tokens: AccessTokens, *, timeout):
        self.tokens = tokens
        self.timeout = timeout

    def request(self, method: str, url: str, *, headers: dict | None = None, **kwargs) -> requests.Response | Failure:
        """The answer (any status: callers read 308s and errors), or a ``Failure`` when there was none."""
        token = self.tokens.get()
        for fresh in (False, True):
            if isinstance(token, Failure):
                return token
            response = http.request(
                method,
                url,
                headers={**(headers or {}), "Authorization": f"Bearer {token}"},
                timeout=self.timeout,
                **kwargs,
            )
            if isinstance(response, Failure) or response.status_code != 401 or fresh:
                return response
            logger.info("account %s: the access token was refused (401): refreshing it", self.tokens.account.pk)
            self.tokens.forget()
            token = self.tokens.refresh()
        raise AssertionError("unreachable")
