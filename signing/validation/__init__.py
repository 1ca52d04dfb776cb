"""Validation of received PDFs: one :class:`~signing.validation.model.FileResult`
per file, one :class:`~signing.validation.model.SignatureResult` per signature
or document timestamp."""
