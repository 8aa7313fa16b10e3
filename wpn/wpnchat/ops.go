package wpnchat

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"

	"github.com/revival-net/revival/internal/netlimit"
	"github.com/revival-net/revival/internal/store"
)

// The operator commands. Each acts only on members of a lower level than
// the operator's (levelLocked): operators cannot kick each other, only
// the owner (or a server administrator) can.

// cmdKick removes a member: they are told why and disconnected, the room
// sees them leave and a notice.
func (m *member) cmdKick(arg string) {
	name, reason := firstWord(arg)
	if name == "" {
		m.notice("Usage: /kick NAME [REASON]")
		return
	}
	r := m.room
	r.mu.Lock()
	defer r.mu.Unlock()
	x := m.actOnLocked(name)
	if x == nil {
		return
	}
	r.ejectLocked(x, "kicked from "+r.rec.Name+" by "+m.user.Name, reason)
	r.noticeLocked(x.user.Name + " was kicked by " + m.user.Name + suffix(reason))
}

// actOnLocked finds the admitted member an operator names and checks that
// the operator outranks them; it tells the operator when not.
func (m *member) actOnLocked(name string) *member {
	r := m.room
	x := r.targetLocked(name)
	switch {
	case x == nil:
		m.notice("There is no member " + quoteName(name) + " here (give the full name if several share it).")
		return nil
	case r.levelLocked(x) >= r.levelLocked(m):
		m.notice("You cannot do that to " + x.user.Name + ".")
		return nil
	}
	return x
}

// ejectLocked disconnects x with a notice: "You were WHAT[: reason]".
func (r *room) ejectLocked(x *member, what, reason string) {
	x.notice("You were " + what + suffix(reason))
	r.removeLocked(x)
	x.c.CloseAfterFlush(what)
}

func suffix(reason string) string {
	if reason = cleanText(reason); reason != "" {
		return ": " + truncate(reason, 200)
	}
	return "."
}

// cmdBan bans a member's name base and address (or a name or an address
// alone), removes every member it matches and stores the ban.
func (m *member) cmdBan(arg string) {
	word, reason := firstWord(arg)
	if word == "" {
		m.notice("Usage: /ban NAME|IP [REASON]")
		return
	}
	r := m.room
	var e banEntry
	if ip, err := netip.ParseAddr(word); err == nil {
		e.ip = netlimit.HostKey(ip)
	} else {
		r.mu.Lock()
		x := r.targetLocked(word)
		if x != nil {
			if r.levelLocked(x) >= r.levelLocked(m) {
				r.mu.Unlock()
				m.notice("You cannot do that to " + x.user.Name + ".")
				return
			}
			e = banEntry{name: fold(nameBase(x.user.Name)), ip: netlimit.HostKey(x.remote)}
		} else {
			e.name = fold(nameBase(word))
			if e.name == fold(r.rec.Owner) {
				r.mu.Unlock()
				m.notice("You cannot ban the owner's name.")
				return
			}
		}
		r.mu.Unlock()
	}
	entry := e.String()
	err := r.update(context.Background(), func(rec *storeRoom) {
		if !slices.Contains(rec.Bans, entry) {
			rec.Bans = append(rec.Bans, entry)
			slices.Sort(rec.Bans)
		}
	})
	r.mu.Lock()
	level := r.levelLocked(m)
	var gone []string
	for x := range r.members {
		if r.levelLocked(x) < level && r.bannedLocked(nameBase(x.user.Name), x.remote) {
			gone = append(gone, x.user.Name)
			r.ejectLocked(x, "banned from "+r.rec.Name+" by "+m.user.Name, reason)
		}
	}
	slices.Sort(gone)
	who := entry
	if len(gone) > 0 {
		who = strings.Join(gone, ", ")
	}
	r.noticeLocked(who + " was banned by " + m.user.Name + suffix(reason))
	r.mu.Unlock()
	if err != nil {
		m.notice("The ban applies, but " + err.Error() + ".")
	}
}

// cmdUnban lifts every ban entry that names arg: the entry itself, its
// name, or its address.
func (m *member) cmdUnban(arg string) {
	word, _ := firstWord(arg)
	if word == "" {
		m.notice("Usage: /unban NAME|IP")
		return
	}
	ip, ipErr := netip.ParseAddr(word)
	lifted := 0
	err := m.room.update(context.Background(), func(rec *storeRoom) {
		rec.Bans = slices.DeleteFunc(rec.Bans, func(s string) bool {
			b := parseBan(s)
			match := fold(s) == fold(word) || b.name != "" && b.name == fold(nameBase(word)) ||
				ipErr == nil && b.ip == netlimit.HostKey(ip)
			if match {
				lifted++
			}
			return match
		})
	})
	switch {
	case lifted == 0:
		m.notice("No ban matches " + quoteName(word) + "; /bans lists them.")
	case err != nil:
		m.notice("Ban lifted, but " + err.Error() + ".")
	default:
		m.notice("Ban lifted: " + quoteName(word) + ".")
	}
}

func (m *member) cmdBans(string) {
	r := m.room
	r.mu.Lock()
	bans := slices.Clone(r.rec.Bans)
	r.mu.Unlock()
	if len(bans) == 0 {
		m.notice("Nobody is banned from this room.")
		return
	}
	m.notice("Bans (name@address):")
	for _, b := range bans {
		m.notice("  " + b)
	}
}

func (m *member) cmdVoice(arg string)   { m.setVoice(arg, true) }
func (m *member) cmdDevoice(arg string) { m.setVoice(arg, false) }

// setVoice gives or takes a member's voice (rank 2, "+"); it lasts while
// they stay.
func (m *member) setVoice(arg string, on bool) {
	name, _ := firstWord(arg)
	if name == "" {
		m.notice("Usage: /voice NAME, /devoice NAME")
		return
	}
	r := m.room
	r.mu.Lock()
	defer r.mu.Unlock()
	x := m.actOnLocked(name)
	if x == nil {
		return
	}
	old := r.rankLocked(x)
	x.voiced = on
	r.rankChangedLocked(x, old)
	if on {
		r.noticeLocked(m.user.Name + " gave voice to " + x.user.Name + ".")
	} else {
		r.noticeLocked(m.user.Name + " took the voice from " + x.user.Name + ".")
	}
}

// opAccount resolves the account /op and /deop name: a present member's
// logged-in account, else an account name.
func (m *member) opAccount(name string) (string, error) {
	r := m.room
	r.mu.Lock()
	x := r.targetLocked(name)
	acc := ""
	if x != nil {
		acc = x.account
	}
	r.mu.Unlock()
	if x != nil && acc == "" {
		return "", errors.New(x.user.Name + " has not logged in to an account; they must /login first")
	}
	if acc != "" {
		return acc, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if _, err := m.h.opts.Hub.Store.Users().Get(ctx, name); err == nil {
		return name, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", errors.New("the server cannot look up accounts right now")
	}
	names, err := m.h.opts.Hub.Store.WPNRooms().FoldedAccounts(ctx, name)
	if err != nil {
		return "", errors.New("the server cannot look up accounts right now")
	}
	if len(names) == 1 {
		return names[0], nil
	}
	return "", errors.New("there is no member or account " + quoteName(name))
}

// cmdOp makes an account an operator of the room (stored).
func (m *member) cmdOp(arg string) {
	name, _ := firstWord(arg)
	if name == "" {
		m.notice("Usage: /op NAME|ACCOUNT")
		return
	}
	acc, err := m.opAccount(name)
	if err != nil {
		m.notice("Cannot /op: " + err.Error() + ".")
		return
	}
	err = m.room.update(context.Background(), func(rec *storeRoom) {
		if !slices.Contains(rec.Operators, acc) {
			rec.Operators = append(rec.Operators, acc)
			slices.Sort(rec.Operators)
		}
	})
	if err != nil {
		m.notice("Done, but " + err.Error() + ".")
		return
	}
	m.notice("The account " + acc + " is an operator of this room.")
}

// cmdDeop takes an account's operator rights in the room back.
func (m *member) cmdDeop(arg string) {
	name, _ := firstWord(arg)
	if name == "" {
		m.notice("Usage: /deop NAME|ACCOUNT")
		return
	}
	acc, err := m.opAccount(name)
	if err != nil {
		acc = name // a stored operator whose account is gone
	}
	removed := false
	err = m.room.update(context.Background(), func(rec *storeRoom) {
		rec.Operators = slices.DeleteFunc(rec.Operators, func(o string) bool {
			if o == acc || fold(o) == fold(acc) {
				removed = true
			}
			return o == acc || fold(o) == fold(acc)
		})
	})
	switch {
	case !removed:
		m.notice(quoteName(acc) + " is not an operator of this room.")
	case err != nil:
		m.notice("Done, but " + err.Error() + ".")
	default:
		m.notice("The account " + acc + " is no longer an operator of this room.")
	}
}
