-- 0001_init: the first schema (PostgreSQL dialect).
--
-- Times are unix nanoseconds in BIGINT columns, 0 meaning "unset", so no
-- time zone is ever involved. Key columns that are ordered or compared by
-- range use COLLATE "C" so PostgreSQL sorts by bytes, exactly as SQLite's
-- BINARY collation does: paging (Users.List) and prefix scans
-- (Settings.List) then behave the same on both databases whatever the
-- cluster's locale. Keep this file and migrations/sqlite/0001_init.sql in
-- step.

CREATE TABLE users (
	name             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	password_hash    TEXT    NOT NULL,
	created_at       BIGINT  NOT NULL,
	banned_until     BIGINT  NOT NULL DEFAULT 0,
	ban_reason       TEXT    NOT NULL DEFAULT '',
	privileged_until BIGINT  NOT NULL DEFAULT 0,
	admin            BOOLEAN NOT NULL DEFAULT FALSE
);

-- An identity column is never reused: a client acknowledging a stale id
-- must not delete a newer message.
CREATE TABLE messages (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	network   TEXT   NOT NULL,
	sender    TEXT   NOT NULL,
	recipient TEXT   NOT NULL,
	text      TEXT   NOT NULL,
	sent_at   BIGINT NOT NULL
);
CREATE INDEX messages_pending ON messages (network, recipient, id);
CREATE INDEX messages_recipient ON messages (recipient);

CREATE TABLE rooms (
	network    TEXT    NOT NULL,
	name       TEXT COLLATE "C" NOT NULL,
	private    BOOLEAN NOT NULL,
	owner      TEXT    NOT NULL,
	created_at BIGINT  NOT NULL,
	PRIMARY KEY (network, name)
);
CREATE INDEX rooms_owner ON rooms (owner);

CREATE TABLE room_members (
	network  TEXT    NOT NULL,
	room     TEXT COLLATE "C" NOT NULL,
	username TEXT COLLATE "C" NOT NULL,
	operator BOOLEAN NOT NULL,
	PRIMARY KEY (network, room, username),
	FOREIGN KEY (network, room) REFERENCES rooms (network, name) ON DELETE CASCADE
);
CREATE INDEX room_members_username ON room_members (username);

-- seq orders a room's tickers by when they were last set.
CREATE TABLE tickers (
	network  TEXT   NOT NULL,
	room     TEXT COLLATE "C" NOT NULL,
	username TEXT COLLATE "C" NOT NULL,
	text     TEXT   NOT NULL,
	seq      BIGINT NOT NULL,
	PRIMARY KEY (network, room, username),
	FOREIGN KEY (network, room) REFERENCES rooms (network, name) ON DELETE CASCADE
);
CREATE INDEX tickers_username ON tickers (username);

-- username "" holds server-wide settings, so there is no foreign key to
-- users; Users.Delete removes a user's rows explicitly.
CREATE TABLE settings (
	username TEXT NOT NULL,
	key      TEXT COLLATE "C" NOT NULL,
	value    TEXT NOT NULL,
	PRIMARY KEY (username, key)
);
