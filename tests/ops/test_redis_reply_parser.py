"""The API's throttles talk to Redis on every request; redis-py reads the replies and writes the commands
in C when hiredis is installed (requirements.txt), in Python otherwise. This keeps the C side in use."""

import redis
from redis._parsers import _HiredisParser
from redis.connection import HiredisRespSerializer


def test_a_redis_connection_reads_and_writes_in_c():
    connection = redis.Connection(host="127.0.0.1", protocol=3)  # made, not connected
    assert isinstance(connection._parser, _HiredisParser)
    assert isinstance(connection._command_packer, HiredisRespSerializer)
