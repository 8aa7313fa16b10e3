-- Pending messages by sender, so the server can count what one sender has
-- left in one inbox and in all of them (issue 5, finding 8) without
-- scanning the table on every private message.
CREATE INDEX messages_sender ON messages (network, sender, recipient);
