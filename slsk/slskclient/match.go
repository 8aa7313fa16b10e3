package slskclient

import "strings"

// searchQuery is a parsed search string. Soulseek clients match every
// query word against the file's path, case-insensitively, and treat words
// that start with '-' as exclusions (Nicotine+ and SoulseekQt behave so; the
// spec's search flow is §2 code 26 and §4.1 DistribSearch). A leading '*'
// (the Nicotine+ partial-word wildcard) is dropped, since we match
// substrings anyway.
type searchQuery struct {
	include []string
	exclude []string
}

// parseQuery splits q into lower-case include and exclude words. A bare
// "-" or "*" is ignored.
func parseQuery(q string) searchQuery {
	var sq searchQuery
	for _, w := range strings.Fields(strings.ToLower(q)) {
		w = strings.Trim(w, `"`)
		if strings.HasPrefix(w, "-") {
			if w = strings.TrimLeft(w, "-"); w != "" {
				sq.exclude = append(sq.exclude, w)
			}
			continue
		}
		if w = strings.TrimLeft(w, "*"); w != "" {
			sq.include = append(sq.include, w)
		}
	}
	return sq
}

// matches reports whether a lower-case path contains every include word
// and no exclude word. A query with no include word matches nothing, so a
// query of only exclusions cannot list the whole share.
func (q searchQuery) matches(lowerPath string) bool {
	if len(q.include) == 0 {
		return false
	}
	for _, w := range q.include {
		if !strings.Contains(lowerPath, w) {
			return false
		}
	}
	for _, w := range q.exclude {
		if strings.Contains(lowerPath, w) {
			return false
		}
	}
	return true
}

// excludedBy reports whether a lower-case path contains one of the
// server's excluded phrases (spec §2 code 160: "clients then refuse to
// return matching paths"). phrases must already be lower-case.
func excludedBy(lowerPath string, phrases []string) bool {
	for _, p := range phrases {
		if p != "" && strings.Contains(lowerPath, p) {
			return true
		}
	}
	return false
}

// search returns up to max shared files matching q, in share order,
// leaving out paths that contain an excluded phrase. max <= 0 means no
// limit.
func (idx *shareIndex) search(q searchQuery, excluded []string, max int) []*shareEntry {
	if len(q.include) == 0 {
		return nil
	}
	var out []*shareEntry
	for _, d := range idx.dirs {
		for _, e := range d.files {
			if !q.matches(e.lower) || excludedBy(e.lower, excluded) {
				continue
			}
			out = append(out, e)
			if max > 0 && len(out) >= max {
				return out
			}
		}
	}
	return out
}
