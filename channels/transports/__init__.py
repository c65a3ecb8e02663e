from .base import Delivered, Failure, Limit, LookupFailed, Post, Transport, Unsupported

__all__ = ["Delivered", "Failure", "Limit", "LookupFailed", "Post", "Transport", "Unsupported"]
