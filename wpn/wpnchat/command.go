package wpnchat

import "strings"

// command is a line a member typed that starts with "/" (wpn.md §6.2:
// the server interprets its own /commands in 0x1450 text).
type command struct {
	name string // lower case, without the slash
	arg  string // the rest, spaces around it trimmed
}

// parseCommand splits "/name arg…". ok is false for text that is not a
// command: no leading slash, a bare "/", or "//…", which WinMX users type
// to say something that starts with a slash (sent as text without one
// slash).
func parseCommand(text string) (cmd command, ok bool) {
	if len(text) < 2 || text[0] != '/' || text[1] == '/' || text[1] == ' ' {
		return command{}, false
	}
	name, arg, _ := strings.Cut(text[1:], " ")
	return command{name: strings.ToLower(name), arg: strings.TrimSpace(arg)}, true
}

// firstWord splits arg into its first word and the rest, trimmed.
func firstWord(arg string) (word, rest string) {
	word, rest, _ = strings.Cut(strings.TrimSpace(arg), " ")
	return word, strings.TrimSpace(rest)
}

// motdLines splits a message of the day into lines: at newlines and at the
// "#\n#" escape WinMX servers use for multi-line text (wpn.md §6.2).
func motdLines(motd string) []string {
	motd = strings.ReplaceAll(motd, `#\n#`, "\n")
	var out []string
	for _, l := range strings.Split(motd, "\n") {
		if l = strings.TrimRight(l, "\r "); l != "" {
			out = append(out, l)
		}
	}
	return out
}
