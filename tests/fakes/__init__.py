"""Test doubles that run for real: a loopback fake platform and the transport that talks to it."""
