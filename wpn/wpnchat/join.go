package wpnchat

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/revival-net/revival/internal/hub"
	"github.com/revival-net/revival/internal/store"
	"github.com/revival-net/revival/wpn"
)

// join handles 0x0064 (wpn.md §6.1 steps 4–7). A refused join gets a
// notice and the connection is closed after it (step 5: "a server that
// rejects simply closes or sends a message and closes").
func (m *member) join(p *wpn.ChatJoinRequest) bool {
	h := m.h
	if err := checkName(p.Name); err != nil {
		return m.refuse("bad_name", "Cannot join: "+err.Error()+".")
	}
	r := h.room(p.Room)
	if r == nil {
		return m.refuse("no_room", "There is no room "+quoteName(p.Room)+" on this server.")
	}
	base := nameBase(p.Name)
	account, err := h.reservation(base)
	if err != nil {
		return m.refuse(refusalLabel(err), "Cannot join: "+err.Error()+".")
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.closed:
		return m.refuse("no_room", "There is no room "+quoteName(p.Room)+" on this server.")
	case r.bannedLocked(base, m.remote):
		return m.refuse("banned", "You are banned from this room.")
	case r.memberLocked(p.Name) != nil:
		return m.refuse("name_taken", "The name "+p.Name+" is already in this room; change your name and join again.")
	case len(r.members) >= r.limitLocked() && !r.privilegedAccountLocked(account):
		return m.refuse("full", "This room is full.")
	}
	m.room = r
	m.user = wpn.ChatUser{
		ChatPeer: wpn.ChatPeer{Name: p.Name, PrimaryIP: p.PrimaryIP, PrimaryUDPPort: p.PrimaryUDPPort},
		LineType: p.LineType, Files: p.Files,
	}
	m.reserved = account
	m.needPassword = r.rec.PasswordHash != ""
	r.members[m] = struct{}{}

	// Steps 5–6: accepted, then for 3.53 clients the protocol flag, the
	// colour-code template and our identification.
	m.send(wpn.ChatFlag(wpn.ChatJoined, 0x31))
	if !m.old {
		m.send(wpn.ChatFlag(wpn.ChatProtocol353, 0x31))
		m.send(&wpn.ChatColours{Text: "#c%d#"})
		m.send(&wpn.ChatSoftwareID{Name: h.opts.ServerName, Version: Version})
	}
	m.send(&wpn.ChatTopicText{Text: r.rec.Topic})
	if m.pendingLocked() {
		m.pendingUntil = time.Now().Add(h.opts.Limits.PendingTimeout)
		m.explainPendingLocked()
		h.metrics.joins.WithLabelValues("pending").Inc()
		return true
	}
	r.admitLocked(m)
	return true
}

// pendingLocked reports whether the member must still /login (its name
// belongs to an account) or give the room password. Operators who logged
// in skip the password.
func (m *member) pendingLocked() bool {
	if m.reserved != "" && m.account != m.reserved {
		return true
	}
	return m.needPassword && m.room.levelLocked(m) < levelOp
}

// explainPendingLocked tells a waiting member what to type.
func (m *member) explainPendingLocked() {
	secs := int(m.h.opts.Limits.PendingTimeout / time.Second)
	if m.reserved != "" && m.account != m.reserved {
		m.notice(fmt.Sprintf("The name %s belongs to the Revival account %s. Type /login PASSWORD within %d seconds to use it, or rejoin with another name.",
			nameBase(m.user.Name), m.reserved, secs))
		return
	}
	m.notice(fmt.Sprintf("This room has a password. Type /password PASSWORD within %d seconds to enter.", secs))
}

// tryAdmitLocked admits a waiting member whose conditions are now met.
func (m *member) tryAdmitLocked() {
	r := m.room
	if _, in := r.members[m]; !in || m.admitted || r.closed {
		return
	}
	if m.pendingLocked() {
		m.explainPendingLocked()
		return
	}
	r.admitLocked(m)
}

// privilegedAccountLocked reports whether account is the room's owner or
// an operator: they get in even when the room is full (they must still
// /login before they are admitted).
func (r *room) privilegedAccountLocked(account string) bool {
	return account != "" && (account == r.rec.Owner || slices.Contains(r.rec.Operators, account))
}

func (m *member) refuse(label, text string) bool {
	m.h.metrics.joins.WithLabelValues(label).Inc()
	m.notice(text)
	m.c.CloseAfterFlush("join refused: " + label)
	return false
}

// Reasons a name cannot be used at all.
var (
	errBannedAccount = errors.New("this name belongs to a banned account")
	errAmbiguousName = errors.New("this name matches several accounts in different letter cases; use the exact spelling of yours")
	errStore         = errors.New("the server cannot check names right now; try again later")
)

func refusalLabel(err error) string {
	switch {
	case errors.Is(err, errBannedAccount):
		return "banned_account"
	case errors.Is(err, errAmbiguousName):
		return "ambiguous_name"
	}
	return "error"
}

// reservation returns the account a chat name base belongs to ("" none):
// the account of that name, compared ignoring ASCII case (docs/wpn-chat.md
// "Accounts"). A banned account's name cannot be used at all.
func (h *Host) reservation(base string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	names, err := h.opts.Hub.Store.WPNRooms().FoldedAccounts(ctx, base)
	if err != nil {
		h.log.Error("looking up a chat name failed", "err", err)
		return "", errStore
	}
	account := ""
	switch {
	case len(names) == 0:
		return "", nil
	case slices.Contains(names, base):
		account = base
	case len(names) == 1:
		account = names[0]
	default:
		return "", errAmbiguousName
	}
	u, err := h.opts.Hub.Store.Users().Get(ctx, account)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil // deleted since
	}
	if err != nil {
		h.log.Error("looking up a chat name failed", "err", err)
		return "", errStore
	}
	if u.Banned(h.opts.Hub.Accounts.Now()) {
		return "", errBannedAccount
	}
	return account, nil
}

// quoteName shows a client-supplied name in a notice.
func quoteName(s string) string {
	s = cleanText(s)
	if wireLen(s) > 60 {
		s = string([]rune(s)[:60]) + "…"
	}
	return `"` + s + `"`
}

// presenceSession registers a logged-in chat member in the hub, so that a
// ban or an account change made anywhere disconnects it (hub.Presence).
type presenceSession struct {
	m       *member
	account string
}

func (p *presenceSession) Network() string  { return hub.NetworkWPN }
func (p *presenceSession) Username() string { return p.account }
func (p *presenceSession) Kick(reason string) {
	p.m.notice("Disconnected: " + reason)
	p.m.c.CloseAfterFlush(reason)
}

// setPresence registers the member under account ("" unregisters). Called
// by the reader goroutine only.
func (m *member) setPresence(account string) {
	if m.presence != nil && m.presence.account == account {
		return
	}
	if m.presence != nil {
		m.h.opts.Hub.Presence.Remove(m.presence)
		m.presence = nil
	}
	if account != "" {
		m.presence = &presenceSession{m: m, account: account}
		m.h.opts.Hub.Presence.Add(m.presence)
	}
}
