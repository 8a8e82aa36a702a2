"""Make a VAPID key pair for Web Push: `python manage.py vapid_keys` prints it as environment lines.

    python manage.py vapid_keys                      # VAPID_PUBLIC_KEY=... / VAPID_PRIVATE_KEY=...
    python manage.py vapid_keys --file var/vapid.env # write them there once (kept if it exists)

Keep the private key secret and stable: changing it ends every phone's subscription (browsers
tie a subscription to the public key), so patients would have to turn notifications on again.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand

from rehab.services.push import vapid_key_pair


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push (or write it to --file once)."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Write the pair to this file if it does not exist yet (mode 0600).")

    def handle(self, *args, file=None, **options):
        if file and Path(file).exists():
            self.stderr.write(f"{file} exists: keeping its keys.")
            return
        public, private = vapid_key_pair()
        lines = f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n"
        if not file:
            self.stdout.write(lines, ending="")
            return
        Path(file).parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(lines)
        self.stderr.write(f"Wrote a new VAPID key pair to {file}.")
