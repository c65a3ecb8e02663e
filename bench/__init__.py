"""Benchmarks (run as scripts; see bench/README.md). An app only for its no-op actor."""
