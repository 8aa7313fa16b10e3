-- 0002_changes: the change log the CLI writes and running servers read
-- (store.Changes). seq comes from the database, never from a clock, so a
-- writer whose clock is behind cannot be missed; AUTOINCREMENT never
-- reuses a seq, even after the newest rows are deleted. Keep this file
-- and migrations/postgres/0002_changes.sql in step.

CREATE TABLE changes (
	seq     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	kind    TEXT    NOT NULL,
	network TEXT    NOT NULL,
	name    TEXT    NOT NULL,
	at      INTEGER NOT NULL
) STRICT;

-- The account-change records of 0001 (settings "account.changed/NAME",
-- wall-clock stamps) are replaced by this log.
DELETE FROM settings WHERE username = '' AND key >= 'account.changed/' AND key < 'account.changed0';
