-- 0002_changes: the change log the CLI writes and running servers read
-- (store.Changes). seq comes from the database, never from a clock, so a
-- writer whose clock is behind cannot be missed; an identity is never
-- reused. Appends lock the table (see sqlstore/changes.go) so seqs become
-- visible in order. Keep this file and migrations/sqlite/0002_changes.sql
-- in step.

CREATE TABLE changes (
	seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind    TEXT   NOT NULL,
	network TEXT   NOT NULL,
	name    TEXT   NOT NULL,
	at      BIGINT NOT NULL
);

-- The account-change records of 0001 (settings "account.changed/NAME",
-- wall-clock stamps) are replaced by this log.
DELETE FROM settings WHERE username = '' AND key >= 'account.changed/' AND key < 'account.changed0';
