"""The patient's pages: views, forms and urls of the patient role (mobile first, offline capable)."""
