-- Name searches match the start of words by a range over client_name_keys.key. SQLite compares
-- text byte by byte already, so its index (0002) serves; PostgreSQL needs an index in the "C"
-- collation (see the postgres migration of the same name).
SELECT 1;
