-- Contact and account history (issue 14.5, 14.6).
-- A response's every answer as given, read per response by the contact page (and by deleting a
-- response): without it each lookup scans every answer ever stored.
create index response_history_response on response_history (response_id, at);
-- An account's contacts are those whose attribute SURVEYCAST_ACCOUNT_ATTRIBUTE (any name) has the
-- account's id: attributes @> {"account": "acme"} through this index instead of a scan of every
-- contact. jsonb_path_ops: smaller and faster than the default for containment, the only use.
create index contact_attributes on contact using gin (attributes jsonb_path_ops);
