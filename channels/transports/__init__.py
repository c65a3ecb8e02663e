from .base import Delivered, Failure, Post, Transport, Unsupported

__all__ = ["Delivered", "Failure", "Post", "Transport", "Unsupported"]
