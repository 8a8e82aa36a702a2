"""The care team's pages: views, forms and urls of physiotherapists, clinicians and clinic admins."""
