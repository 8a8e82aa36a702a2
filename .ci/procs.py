"""Run the Procfile with honcho, giving processes time to stop on their own.

honcho sends SIGTERM to every process on Ctrl-C and SIGKILLs whatever is left after 5 s.
A Celery worker's warm shutdown finishes the task in hand first, and on the filesystem broker
its polling loop alone takes about 4 s to notice; 5 s would kill it mid-way. Usage is honcho's.
"""

import sys

from honcho import command, manager

STOP_WAIT_SECONDS = 30

if __name__ == "__main__":
    manager.KILL_WAIT = STOP_WAIT_SECONDS
    sys.exit(command.main())
