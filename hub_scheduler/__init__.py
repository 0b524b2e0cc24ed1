"""hub-scheduler: plans contactless freight transfer hubs. This package is the domain and the
solver: plain Python, no Flask, no SQLAlchemy."""
