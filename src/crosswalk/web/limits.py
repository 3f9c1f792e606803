"""What one request may ask and one response may hold: the web app's caps in one place.

Every cap is documented for users in ``docs/web.md``; a request over one gets a 4xx
that names it.  The matrix's own bound (cells per view) is the library's:
:data:`crosswalk.query.MAX_CELLS`.
"""

from __future__ import annotations

# A request's target (path and query string), in bytes: 414 beyond.  Far above any
# real question (100 of the longest IMH codes in a map are about 6 kB).
MAX_TARGET_BYTES = 8 * 1024
# A request's body, in bytes: 413 beyond.  Uploads are the only large bodies: the
# readiness upload (a 5 MB file, or the same file carried back as base64) and a new
# edition's file; the curation forms take at most 256 kB (crosswalk.web.forms).
MAX_BODY_BYTES = 12 * 1024 * 1024
# A new edition's file uploaded on a page or through the API: within the body limit,
# with room for the form around it.  Larger editions: ``crosswalk edition`` reads files
# within the import limits (crosswalk.formats.limits).
MAX_EDITION_BYTES = 10 * 1024 * 1024
# Codes in one map question (after typed lists are split): 422 beyond.
MAX_MAP_CODES = 100
# Mappings (code → target item, with the path) in one map answer: the first ones found,
# in the order of the codes, and a word that the answer is cut.
MAX_MAPPINGS = 2_000
# Tick boxes the map page lists at most (the bundled frameworks have 12 to 64 items;
# a larger framework's other codes are typed).
MAX_CHOICES = 500
# Entries of one list on a page (gaps, coverage rows …); the rest are a link away.
LIST_LIMIT = 100
# Paths "one crosswalk further" from one item, on its page, API answer and download.
MAX_CHAINS = 500
# Entries of one page of a JSON API list (``limit``).
MAX_PAGE_SIZE = 500
# The largest number a stored row's id (a change set, a token) can be: SQLite's INTEGER
# and PostgreSQL's BIGINT stop at 2⁶³ − 1, and a larger one in a query is an error of
# the database driver, not a miss.  Every whole-number parameter stops here (422).
MAX_ROW_ID = 2**63 - 1
