-- 0004_wpn_rooms: the WinMX chat rooms this server hosts (store.WPNRooms,
-- wpn.md §6). Names are unique ignoring ASCII case (lower() folds ASCII
-- only, on both databases). operators and bans are JSON arrays of
-- strings. Keep this file and migrations/postgres/0004_wpn_rooms.sql in
-- step.

CREATE TABLE wpn_rooms (
	name          TEXT    NOT NULL PRIMARY KEY,
	topic         TEXT    NOT NULL DEFAULT '',
	motd          TEXT    NOT NULL DEFAULT '',
	password_hash TEXT    NOT NULL DEFAULT '',
	owner         TEXT    NOT NULL DEFAULT '',
	operators     TEXT    NOT NULL DEFAULT '[]',
	bans          TEXT    NOT NULL DEFAULT '[]',
	lim           INTEGER NOT NULL DEFAULT 0,
	moderated     INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX wpn_rooms_folded ON wpn_rooms (lower(name));

-- A WinMX chat name is reserved for the account of the same name in any
-- letter case: every join looks the name up this way.
CREATE INDEX users_folded ON users (lower(name));
