package wpnchat

import (
	"fmt"
	"strings"

	"github.com/revival-net/revival/wpn"
)

// onText handles public text in either dialect (0x1450, 0x00C8): the
// server's own /commands (wpn.md §6.2), or a line for the room. "//x"
// says "/x".
func (m *member) onText(text string) {
	if cmd, ok := parseCommand(text); ok {
		if m.allow(&m.cmdBucket, m.h.opts.Limits.CommandRate, "command") {
			m.command(cmd)
		}
		return
	}
	if !m.allow(&m.textBucket, m.h.opts.Limits.TextRate, "text") {
		return
	}
	if strings.HasPrefix(text, "//") {
		text = text[1:]
	}
	m.say(text)
}

// speakable cleans a line and checks that the member may say it.
func (m *member) speakableLocked(text string) (string, bool) {
	r := m.room
	if _, in := r.members[m]; !in {
		return "", false
	}
	if !m.admitted {
		m.explainPendingLocked()
		return "", false
	}
	text = cleanText(text)
	if strings.TrimSpace(text) == "" {
		return "", false
	}
	if n := wireLen(text); n > m.h.opts.Limits.MaxLine {
		m.notice(fmt.Sprintf("Your line is too long (%d characters, at most %d); it was not sent.", n, m.h.opts.Limits.MaxLine))
		return "", false
	}
	if r.rec.Moderated && r.levelLocked(m) < levelVoice {
		m.notice("This room is moderated: only operators and voiced users can speak.")
		return "", false
	}
	return text, true
}

// say relays a line to the room as 0x00C9 [name][text], with the rank
// byte for 3.53 members (wpn.md §6.2), the sender included (WinMX shows
// its own lines as the server echoes them).
func (m *member) say(text string) {
	r := m.room
	r.mu.Lock()
	defer r.mu.Unlock()
	text, ok := m.speakableLocked(text)
	if !ok {
		return
	}
	rank := r.rankLocked(m)
	r.broadcastLocked(Message{
		New: wpn.AppendPacket(nil, &wpn.ChatSaid{Name: m.user.Name, Text: text, Rank: &rank}),
		Old: wpn.AppendPacket(nil, &wpn.ChatSaid{Name: m.user.Name, Text: text}),
	})
}

// action relays an action ("/me waves", 0x00CA) as 0x00CB [name][text].
func (m *member) action(text string) {
	r := m.room
	r.mu.Lock()
	defer r.mu.Unlock()
	text, ok := m.speakableLocked(text)
	if !ok {
		return
	}
	r.broadcastLocked(all(&wpn.ChatEmoted{Name: m.user.Name, Text: text}))
}

// rename handles 0x0065: a new name, line type, file count or primary
// (wpn.md §6.2). Members see 0x0074 (3.53) or 0x0070 (3.31). A name that
// belongs to another account, is banned here or taken is refused and the
// member keeps the old one; a name that is not the logged-in account's
// ends the login (and its rank).
func (m *member) rename(p *wpn.ChatRenameRequest) {
	if err := checkName(p.Name); err != nil {
		m.notice("Cannot rename: " + err.Error() + ".")
		return
	}
	r := m.room
	r.mu.Lock()
	same := fold(nameBase(p.Name)) == fold(nameBase(m.user.Name))
	r.mu.Unlock()
	reserved := m.reserved // only the reader goroutine writes it
	if !same {
		acc, err := m.h.reservation(nameBase(p.Name))
		if err != nil {
			m.notice("Cannot rename: " + err.Error() + ".")
			return
		}
		reserved = acc
	}

	r.mu.Lock()
	loggedOut := m.renameLocked(p, reserved)
	r.mu.Unlock()
	if loggedOut {
		m.setPresence("")
	}
}

// renameLocked applies a rename; it reports whether the login ended.
func (m *member) renameLocked(p *wpn.ChatRenameRequest, reserved string) (loggedOut bool) {
	r := m.room
	if _, in := r.members[m]; !in {
		return false
	}
	if x := r.memberLocked(p.Name); x != nil && x != m {
		m.notice("Cannot rename: the name " + p.Name + " is already in this room.")
		return false
	}
	if r.bannedLocked(nameBase(p.Name), m.remote) {
		m.notice("Cannot rename: that name is banned from this room.")
		return false
	}
	if m.admitted && reserved != "" && reserved != m.account {
		m.notice("Cannot rename: the name " + nameBase(p.Name) + " belongs to the Revival account " + reserved + ".")
		return false
	}
	oldPeer := m.user.ChatPeer
	m.user = wpn.ChatUser{
		ChatPeer: wpn.ChatPeer{Name: p.Name, PrimaryIP: p.PrimaryIP, PrimaryUDPPort: p.PrimaryUDPPort},
		LineType: p.LineType, Files: p.Files,
	}
	m.reserved = reserved
	if m.account != "" && fold(nameBase(p.Name)) != fold(m.account) {
		m.account, m.admin, loggedOut = "", false, true
		m.notice("You are no longer logged in: your new name is not your account's.")
	}
	if !m.admitted {
		m.tryAdmitLocked()
		return loggedOut
	}
	m.recip.Op = r.levelLocked(m) >= levelOp
	u := r.userLocked(m)
	r.broadcastLocked(Message{
		New: wpn.AppendPacket(nil, &wpn.ChatRenamed{Old: oldPeer, New: u}),
		Old: wpn.AppendPacket(nil, &wpn.ChatRenamed331{ChatRenamed: wpn.ChatRenamed{Old: oldPeer, New: u}}),
	})
	return loggedOut
}
