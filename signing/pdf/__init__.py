"""Opening a PDF safely: bounded parsing of hostile files (:mod:`.limits`),
encrypted documents (:mod:`.crypt`), the page tree (:mod:`.pages`),
metadata, and the list of signature fields (:mod:`.document`).

May import: :mod:`signing.errors`, :mod:`signing.secrets`,
:mod:`signing.thirdparty_internals` and pyHanko's PDF layer. Nothing here
signs or validates."""
