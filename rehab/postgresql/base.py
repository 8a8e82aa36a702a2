"""Django's PostgreSQL backend, with a kept connection's health checked without a round trip, and
`json` columns read as text.

With CONN_HEALTH_CHECKS (settings: on, so a restarted database costs no request a 500), Django tries a
kept connection once per request before its first statement, by sending it SELECT 1 and waiting for the
answer: one more statement for every request, and on the check-in POST about 4 % of a web worker's CPU
(py-spy under bench/bench_checkin.py, 2026-12-01), besides the database's own work.

Between requests the connection has asked the server nothing, so the server has nothing to say on it:
if its socket has anything to read, the server has closed it (a restart, pg_terminate_backend, an idle
timeout: its last words are a FATAL message, then the end of the stream). So a kept connection is
usable when psycopg has not marked it closed or broken and its socket has nothing waiting; a look at
the socket (select with no timeout) costs no statement and no wait. What that cannot see, a network
that vanished silently, SELECT 1 would only have seen after the network's own timeout.

Columns of PostgreSQL's `json` type (rehab.models.fields.StoredJSONField) come to Python as their text,
as Django has psycopg read `jsonb`: the field decodes the text itself, once. psycopg's own json loader
would decode it first, and a JSON string value such as "12" or "null" would then be decoded twice.
"""

import select

from django.db.backends.postgresql import base
from psycopg.types.string import TextLoader


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.adapters.register_loader("json", TextLoader)
        return connection

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket is gone already
            return False
        return not waiting
