"""Write-only secret fields (channel tokens, webhook secrets): never rendered; blank keeps the stored one."""

from django import forms


def write_only_secret_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )


def has_stray_characters(secret: str) -> bool:
    """A pasted secret with spaces, line breaks or control characters: copied wrongly."""
    return any(character.isspace() or not character.isprintable() for character in secret)
