package slskclient

import (
	"slices"
	"strings"
)

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

// Limits on a query we answer (spec §2 code 26, §4.1). A query is
// peer-controlled and matched against every shared path, so its cost must
// not grow with its length: Nicotine+ queries are a few words, and the
// server's own limit on search text is far above what any client sends.
const (
	// maxQueryLen drops longer queries unanswered.
	maxQueryLen = 256
	// maxQueryWords caps the distinct words (include and exclude together)
	// we match; later words are ignored.
	maxQueryWords = 10
)

// parseQuery splits q into lower-case include and exclude words. A bare
// "-" or "*" is ignored, as are repeated words and words past
// maxQueryWords. A query longer than maxQueryLen bytes parses to nothing,
// so it matches nothing.
func parseQuery(q string) searchQuery {
	var sq searchQuery
	if len(q) > maxQueryLen {
		return sq
	}
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if len(sq.include)+len(sq.exclude) >= maxQueryWords {
			break
		}
		w = strings.Trim(w, `"`)
		if strings.HasPrefix(w, "-") {
			if w = strings.TrimLeft(w, "-"); w != "" && !slices.Contains(sq.exclude, w) {
				sq.exclude = append(sq.exclude, w)
			}
			continue
		}
		if w = strings.TrimLeft(w, "*"); w != "" && !slices.Contains(sq.include, w) {
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
