"""The quote extractor's version, apart from the extractor so that opening a store can check it
without importing the text stack.

Bump it when extraction or speaker rules change (``text.quotes``, ``text.speakers``): a store
whose quote index an older version built extracts it again when it opens (``search.store``),
so nobody has to re-ingest to get the better speakers.
"""

EXTRACTOR_VERSION = 82
