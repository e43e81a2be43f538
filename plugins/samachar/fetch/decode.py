"""Bytes → text for fetched pages: header charset, then <meta>, then detection.

A declared charset is only trusted if the body actually decodes with it. The common lie is a
page labelled UTF-8 whose bytes are windows-1252 (or UTF-8 with a few pasted windows-1252
bytes); those are decoded as UTF-8 where valid and windows-1252 byte by byte where not, so
neither the Devanagari nor the curly quotes are lost.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CP1252_FALLBACK = "samachar-cp1252-fallback"


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode each offending byte as windows-1252 (latin-1 where undefined)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in chunk), error.end


codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)


def canonical_codec(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None when unknown (``utf8`` → ``utf-8``)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    # Browsers treat latin-1/ascii labels as windows-1252; so do we.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def sniff_declared(body: bytes) -> str | None:
    """The charset a document declares in its first bytes (<meta> or the XML declaration)."""
    head = body[:4096]
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return canonical_codec(match.group(1).decode("ascii", "replace")) if match else None


def decode_body(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """Decode a page; returns ``(text, encoding used)``.

    Order: byte-order mark, the Content-Type charset, the document's own declaration, then
    detection. A UTF-8 label on bytes that are not UTF-8 falls back to windows-1252 per byte
    (encoding reported as ``utf-8+cp1252``).
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace"), name

    declared = [c for c in (canonical_codec(header_charset), sniff_declared(body)) if c]
    for codec in dict.fromkeys(declared):
        try:
            return body.decode(codec), codec
        except UnicodeDecodeError:
            continue
    if "utf-8" in declared:
        return body.decode("utf-8", errors=_CP1252_FALLBACK), "utf-8+cp1252"

    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding:
        return str(best), canonical_codec(best.encoding) or best.encoding
    return body.decode("cp1252", errors="replace"), "cp1252"
