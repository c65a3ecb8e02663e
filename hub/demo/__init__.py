"""Demo content for a fresh Siar: a fictional regency's news, loaded by ``manage.py seed_demo``."""
