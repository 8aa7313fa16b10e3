-- 0004_wpn_rooms: the WinMX chat rooms this server hosts (store.WPNRooms,
-- wpn.md §6). Names are unique ignoring ASCII case (lower() on a
-- COLLATE "C" column folds ASCII only, as SQLite's does). operators and
-- bans are JSON arrays of strings. Keep this file and
-- migrations/sqlite/0004_wpn_rooms.sql in step.

CREATE TABLE wpn_rooms (
	name          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	topic         TEXT    NOT NULL DEFAULT '',
	motd          TEXT    NOT NULL DEFAULT '',
	password_hash TEXT    NOT NULL DEFAULT '',
	owner         TEXT    NOT NULL DEFAULT '',
	operators     TEXT    NOT NULL DEFAULT '[]',
	bans          TEXT    NOT NULL DEFAULT '[]',
	lim           BIGINT  NOT NULL DEFAULT 0,
	moderated     BOOLEAN NOT NULL DEFAULT FALSE,
	created_at    BIGINT  NOT NULL
);
CREATE UNIQUE INDEX wpn_rooms_folded ON wpn_rooms (lower(name));

-- A WinMX chat name is reserved for the account of the same name in any
-- letter case: every join looks the name up this way.
CREATE INDEX users_folded ON users (lower(name));
