-- 0001_init: the first schema (SQLite dialect).
--
-- Times are unix nanoseconds in INTEGER columns, 0 meaning "unset", so no
-- time zone or text format is ever involved. Booleans are 0/1. STRICT
-- tables make SQLite reject a value of the wrong type instead of storing it.
-- Keep this file and migrations/postgres/0001_init.sql in step.

CREATE TABLE users (
	name             TEXT    NOT NULL PRIMARY KEY,
	password_hash    TEXT    NOT NULL,
	created_at       INTEGER NOT NULL,
	banned_until     INTEGER NOT NULL DEFAULT 0,
	ban_reason       TEXT    NOT NULL DEFAULT '',
	privileged_until INTEGER NOT NULL DEFAULT 0,
	admin            INTEGER NOT NULL DEFAULT 0
) STRICT;

-- AUTOINCREMENT so an id is never reused: a client acknowledging a stale id
-- must not delete a newer message.
CREATE TABLE messages (
	id        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	network   TEXT    NOT NULL,
	sender    TEXT    NOT NULL,
	recipient TEXT    NOT NULL,
	text      TEXT    NOT NULL,
	sent_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_pending ON messages (network, recipient, id);
CREATE INDEX messages_recipient ON messages (recipient);

CREATE TABLE rooms (
	network    TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	private    INTEGER NOT NULL,
	owner      TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (network, name)
) STRICT;
CREATE INDEX rooms_owner ON rooms (owner);

CREATE TABLE room_members (
	network  TEXT    NOT NULL,
	room     TEXT    NOT NULL,
	username TEXT    NOT NULL,
	operator INTEGER NOT NULL,
	PRIMARY KEY (network, room, username),
	FOREIGN KEY (network, room) REFERENCES rooms (network, name) ON DELETE CASCADE
) STRICT;
CREATE INDEX room_members_username ON room_members (username);

-- seq orders a room's tickers by when they were last set.
CREATE TABLE tickers (
	network  TEXT    NOT NULL,
	room     TEXT    NOT NULL,
	username TEXT    NOT NULL,
	text     TEXT    NOT NULL,
	seq      INTEGER NOT NULL,
	PRIMARY KEY (network, room, username),
	FOREIGN KEY (network, room) REFERENCES rooms (network, name) ON DELETE CASCADE
) STRICT;
CREATE INDEX tickers_username ON tickers (username);

-- username "" holds server-wide settings, so there is no foreign key to
-- users; Users.Delete removes a user's rows explicitly.
CREATE TABLE settings (
	username TEXT NOT NULL,
	key      TEXT NOT NULL,
	value    TEXT NOT NULL,
	PRIMARY KEY (username, key)
) STRICT;
