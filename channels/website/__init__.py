"""The headless website and app: a signed revalidation webhook on publish, edit and unpublish."""

from .adapter import adapt
from .transport import Transport, signature

__all__ = ["Transport", "adapt", "signature"]
