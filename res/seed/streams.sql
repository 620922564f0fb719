-- Sample stream for `make run`: every EdgeX event on the bus, schemaless
-- (each reading becomes a typed column).
CREATE STREAM edgexAll () WITH (TYPE="edgex", FORMAT="json");
