package wpnchat

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/revival-net/revival/wpn"
)

// cmdSpec is one /command: who may run it and what it does. The table is
// checked once in command (as ergo's), so handlers only do their work.
type cmdSpec struct {
	usage   string
	help    string
	level   int  // lowest level that may run it
	waiting bool // may run before the member is admitted
	run     func(m *member, arg string)
}

var commandTable map[string]*cmdSpec

func init() {
	me := &cmdSpec{usage: "/me TEXT", help: "act (also /action, /emote)", run: (*member).cmdMe}
	who := &cmdSpec{usage: "/who", help: "list the members (also /users)", run: (*member).cmdWho}
	commandTable = map[string]*cmdSpec{
		"me": me, "action": me, "emote": me,
		"who": who, "users": who,
		"help":     {usage: "/help", help: "list the commands you may use", waiting: true, run: (*member).cmdHelp},
		"login":    {usage: "/login PASSWORD", help: "prove that your name's Revival account is yours", waiting: true, run: (*member).cmdLogin},
		"password": {usage: "/password PASSWORD", help: "enter a room that has a password", waiting: true, run: (*member).cmdPassword},
		"motd":     {usage: "/motd [TEXT]", help: "show the message of the day; operators set it (#\\n# breaks lines)", run: (*member).cmdMOTD},
		"topic":    {usage: "/topic TEXT", help: "set the topic", level: levelOp, run: (*member).cmdTopic},
		"kick":     {usage: "/kick NAME [REASON]", help: "remove a member", level: levelOp, run: (*member).cmdKick},
		"ban":      {usage: "/ban NAME|IP [REASON]", help: "ban a name (and the member's address) and remove them", level: levelOp, run: (*member).cmdBan},
		"unban":    {usage: "/unban NAME|IP", help: "lift a ban", level: levelOp, run: (*member).cmdUnban},
		"bans":     {usage: "/bans", help: "list the bans", level: levelOp, run: (*member).cmdBans},
		"voice":    {usage: "/voice NAME", help: "let a member speak in a moderated room (+)", level: levelOp, run: (*member).cmdVoice},
		"devoice":  {usage: "/devoice NAME", help: "take the voice back", level: levelOp, run: (*member).cmdDevoice},
		"moderate": {usage: "/moderate on|off", help: "only operators and voiced members speak", level: levelOp, run: (*member).cmdModerate},
		"op":       {usage: "/op NAME|ACCOUNT", help: "make an account an operator of this room (@)", level: levelOwner, run: (*member).cmdOp},
		"deop":     {usage: "/deop NAME|ACCOUNT", help: "take operator rights back", level: levelOwner, run: (*member).cmdDeop},
	}
}

// command runs a /command a member typed.
func (m *member) command(cmd command) {
	spec := commandTable[cmd.name]
	if spec == nil {
		m.notice("Unknown command /" + truncate(cmd.name, 20) + "; /help lists the commands. Type //" + truncate(cmd.name, 20) + " to say it.")
		return
	}
	r := m.room
	r.mu.Lock()
	_, in := r.members[m]
	admitted, level := m.admitted, r.levelLocked(m)
	if in && !admitted && !spec.waiting {
		m.explainPendingLocked()
	}
	r.mu.Unlock()
	switch {
	case !in || !admitted && !spec.waiting:
	case level < spec.level:
		m.notice("Only " + levelName(spec.level) + " can use /" + cmd.name + ".")
	default:
		spec.run(m, cmd.arg)
	}
}

func levelName(l int) string {
	if l >= levelOwner {
		return "the room's owner"
	}
	return "operators"
}

func truncate(s string, n int) string {
	s = cleanText(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func (m *member) cmdMe(arg string) {
	if arg == "" {
		m.notice("Usage: /me TEXT")
		return
	}
	m.action(arg)
}

func (m *member) cmdHelp(string) {
	r := m.room
	r.mu.Lock()
	admitted, level := m.admitted, r.levelLocked(m)
	r.mu.Unlock()
	names := make([]string, 0, len(commandTable))
	for n, spec := range commandTable {
		if spec.level <= level && (admitted || spec.waiting) && n != "action" && n != "emote" && n != "users" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	m.notice("Commands:")
	for _, n := range names {
		m.notice(fmt.Sprintf("  %-22s %s", commandTable[n].usage, commandTable[n].help))
	}
}

// cmdWho lists the admitted members, operators first; operators also see
// addresses.
func (m *member) cmdWho(string) {
	r := m.room
	r.mu.Lock()
	defer r.mu.Unlock()
	seeIPs := r.levelLocked(m) >= levelOp
	type line struct {
		rank uint8
		text string
	}
	var lines []line
	for x := range r.members {
		if !x.admitted {
			continue
		}
		rank := r.rankLocked(x)
		prefix := map[uint8]string{wpn.RankOperator: "@", wpn.RankVoice: "+"}[rank]
		t := fmt.Sprintf("%s%s (%d files)", prefix, x.user.Name, x.user.Files)
		if x.account != "" {
			t += " account " + x.account
		}
		if seeIPs {
			t += " from " + x.remote.String()
		}
		order := map[uint8]uint8{wpn.RankOperator: 0, wpn.RankVoice: 1}[rank]
		if rank == wpn.RankNormal {
			order = 2
		}
		lines = append(lines, line{order, t})
	}
	sort.Slice(lines, func(i, j int) bool {
		if lines[i].rank != lines[j].rank {
			return lines[i].rank < lines[j].rank
		}
		return strings.ToLower(lines[i].text) < strings.ToLower(lines[j].text)
	})
	m.notice(fmt.Sprintf("%d members in %s:", len(lines), r.rec.Name))
	for _, l := range lines {
		m.notice("  " + l.text)
	}
}

// cmdMOTD shows the message of the day, or (operators) sets it.
func (m *member) cmdMOTD(arg string) {
	r := m.room
	if arg == "" {
		r.mu.Lock()
		if motdLines(r.rec.MOTD) == nil {
			m.notice("This room has no message of the day.")
		}
		r.sendMOTDLocked(m)
		r.mu.Unlock()
		return
	}
	r.mu.Lock()
	level := r.levelLocked(m)
	r.mu.Unlock()
	if level < levelOp {
		m.notice("Only operators can set the message of the day.")
		return
	}
	var lines []string
	for _, l := range motdLines(arg) {
		lines = append(lines, cleanText(l))
	}
	motd := strings.Join(lines, "\n")
	if n := wireLen(motd); n > m.h.opts.Limits.MaxMOTD {
		m.notice(fmt.Sprintf("The message of the day is too long (%d characters, at most %d).", n, m.h.opts.Limits.MaxMOTD))
		return
	}
	if err := r.update(context.Background(), func(rec *storeRoom) { rec.MOTD = motd }); err != nil {
		m.notice("The message of the day is set, but " + err.Error() + ".")
		return
	}
	m.notice("The message of the day is set.")
}

// cmdTopic sets the topic (at most 125 characters, wpn.md §1.4) and shows
// it to everyone (0x012C).
func (m *member) cmdTopic(arg string) {
	topic := cleanText(arg)
	if n := wireLen(topic); n > MaxTopicLen {
		m.notice(fmt.Sprintf("The topic is too long (%d characters, at most %d).", n, MaxTopicLen))
		return
	}
	r := m.room
	err := r.update(context.Background(), func(rec *storeRoom) { rec.Topic = topic })
	r.mu.Lock()
	r.broadcastLocked(all(&wpn.ChatTopicText{Text: topic}))
	r.noticeLocked(m.user.Name + " changed the topic.")
	r.mu.Unlock()
	if err != nil {
		m.notice("The topic is set, but " + err.Error() + ".")
	}
}

// cmdModerate turns moderation on or off.
func (m *member) cmdModerate(arg string) {
	var on bool
	switch strings.ToLower(arg) {
	case "on":
		on = true
	case "off":
	default:
		m.notice("Usage: /moderate on|off")
		return
	}
	r := m.room
	err := r.update(context.Background(), func(rec *storeRoom) { rec.Moderated = on })
	r.mu.Lock()
	if on {
		r.noticeLocked(m.user.Name + " moderated the room: only operators and voiced members can speak.")
	} else {
		r.noticeLocked(m.user.Name + " lifted the moderation: everyone can speak.")
	}
	r.mu.Unlock()
	if err != nil {
		m.notice("Done, but " + err.Error() + ".")
	}
}
