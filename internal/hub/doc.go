// Package hub is Revival's protocol-neutral domain: accounts (with the
// password check and its fast path for returning users), the registry of
// who is online on which network (so a ban or an admin kick reaches every
// network), and names shared by all three networks. It depends on the store
// interfaces and never on a protocol package; protocol servers use it to
// authenticate and announce sessions, and keep their own protocol-shaped
// state (Soulseek rooms, MSN switchboards, WPN channels) themselves.
package hub
