import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
application = get_wsgi_application()

# Under gunicorn this module is imported once, in the master (preload_app), before the workers fork:
# what Django loads lazily is loaded here, once, instead of in every new worker (rehab/warm_up.py).
from rehab.warm_up import load_before_fork  # noqa: E402 - needs the app registry get_wsgi_application set up

load_before_fork()
