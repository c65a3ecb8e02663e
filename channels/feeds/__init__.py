"""Syndication feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1, for partners (token) and the public.

``items`` reads articles in a constant number of queries, ``html`` renders and sanitises their
bodies, ``formats`` writes the three formats, ``cache`` keeps built feeds in Redis until the next
change, ``access`` checks partner tokens, ``pickups`` logs fetches in batches, ``views`` serves.
"""
