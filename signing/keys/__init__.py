"""Key sources: where the signing key lives (PKCS#12 file, PKCS#11 token,
remote signing service). Each is a :class:`~signing.keys.base.KeySource`.

May import: :mod:`signing.certs`, :mod:`signing.net`, :mod:`signing.secrets`
and :mod:`signing.errors`."""
