"""QR codes drawn on the server as inline SVG (segno, pure Python): no script, no image request."""

import segno


def qr_svg(text: str, *, title: str = "Sign-in QR code") -> str:
    """Inline SVG markup for a QR code of `text`, dark on a white ground so phones read it in dark mode too."""
    return segno.make(text, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff", title=title)
