-- Name searches match the start of words by a range over client_name_keys.key, compared byte by
-- byte whatever the database's collation; this index serves those comparisons.
CREATE INDEX client_name_keys_org_key_c ON client_name_keys (org_id, key COLLATE "C");
