"""Network access with bounds: every HTTP request of the core (trusted
lists, time-stamping, OCSP, CRL, remote signing) goes through
:mod:`.bounded_http`, which caps sizes and times and says whether a server
was reached at all.

May import: :mod:`signing.errors`, :mod:`signing.thirdparty_internals`,
requests and pyHanko's fetcher interfaces."""
