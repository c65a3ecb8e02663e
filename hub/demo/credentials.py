"""The demo admin account and its credentials file (read by scripts/launch.py for its banner).

The password comes from SIAR_ADMIN_PASSWORD or is generated once. It is stored in
``VAR_DIR/demo-admin.json`` (mode 0600) so later runs can show it again; a password that
someone changed since is neither shown nor reset.
"""

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

CREDENTIALS_FILE = "demo-admin.json"
ADMIN_EMAIL = "admin@example.invalid"


@dataclass
class AdminAccount:
    username: str
    password: str | None  # None: unknown to us (changed since it was generated)
    status: str  # for the progress output
    store: bool = False  # whether the credentials file needs (re)writing


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / CREDENTIALS_FILE


def stored_password(username: str) -> str | None:
    """The password in the credentials file, if the file is readable and is for ``username``."""
    try:
        data = json.loads(credentials_path().read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("username") != username or not isinstance(data.get("password"), str):
        return None
    return data["password"]


def ensure_admin(username: str, wanted_password: str | None) -> AdminAccount:
    """Create the superuser if missing; work out which password (if any) can be shown."""
    user_model = get_user_model()
    user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    stored = stored_password(username)
    if user is None:
        password = wanted_password or secrets.token_urlsafe(12)
        user_model._default_manager.create_superuser(
            **{user_model.USERNAME_FIELD: username}, email=ADMIN_EMAIL, password=password
        )
        return AdminAccount(username, password, "created", store=True)
    if wanted_password:
        if user.check_password(wanted_password):
            return AdminAccount(username, wanted_password, "already present", store=stored != wanted_password)
        return AdminAccount(username, None, "already present; its password is not SIAR_ADMIN_PASSWORD, left as is")
    if stored is not None:
        if user.check_password(stored):
            return AdminAccount(username, stored, "already present")
        return AdminAccount(username, None, "already present; its password was changed, so it is not shown or reset")
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    return AdminAccount(username, password, "already present; no stored password, so a new one was set", store=True)


def store_credentials(account: AdminAccount) -> None:
    """Write the credentials file, readable by its owner only, replacing it atomically."""
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the temporary file was left behind with another mode
    with os.fdopen(descriptor, "w") as file:
        json.dump({"username": account.username, "password": account.password}, file)
        file.write("\n")
    os.replace(temporary, path)
