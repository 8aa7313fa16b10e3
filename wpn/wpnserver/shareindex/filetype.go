package shareindex

import "github.com/revival-net/revival/wpn"

// File types are the FileType codes of 0x1771/0x1772 (wpn.md §3.6): 1
// software, 2 audio, 3 video are what MediaDefender used [C/D]; 0 is "any"
// [G]. WinMX's own extension lists are not known, so these are ours [G]:
// the formats a WinMX user of 2001-2008 shared, decided by the extension
// of the path (case-insensitive). Codes beyond 3 are unknown (wpn.md §9)
// and are treated as "any", so a client asking for them gets a superset
// rather than nothing.
var fileTypes = func() map[string]uint8 {
	m := make(map[string]uint8)
	for t, exts := range map[uint8][]string{
		wpn.FileSoftware: {
			"exe", "msi", "com", "bat", "zip", "rar", "7z", "ace", "arj", "cab",
			"lzh", "lha", "gz", "tgz", "bz2", "tbz", "xz", "tar", "z", "iso",
			"bin", "cue", "nrg", "img", "mdf", "mds", "ccd", "dmg", "jar", "apk",
			"deb", "rpm", "sit", "sea", "hqx",
		},
		wpn.FileAudio: {
			"mp3", "mp2", "mp1", "mpa", "wav", "ogg", "oga", "opus", "flac",
			"ape", "mpc", "wma", "aac", "m4a", "aif", "aiff", "aifc", "au",
			"snd", "mid", "midi", "rmi", "ra", "ram", "wv", "mod", "xm", "s3m",
			"it", "amr", "ac3",
		},
		wpn.FileVideo: {
			"avi", "mpg", "mpeg", "mpe", "m1v", "m2v", "mp4", "m4v", "mkv",
			"mov", "qt", "wmv", "asf", "rm", "rmvb", "ogm", "ogv", "divx",
			"xvid", "vob", "flv", "f4v", "webm", "3gp", "3g2", "ts", "m2ts",
			"mts",
		},
	} {
		for _, e := range exts {
			m[e] = t
		}
	}
	return m
}()

// maxExtLen is the longest extension in fileTypes.
const maxExtLen = 4

// FileType returns the type code (wpn.FileSoftware, wpn.FileAudio,
// wpn.FileVideo) of a path by its extension, or wpn.FileAny when the
// extension is in none of the lists.
func FileType(path string) uint8 {
	i := len(path) - 1
	for i >= 0 && len(path)-1-i <= maxExtLen && path[i] != '.' {
		i--
	}
	if i < 0 || path[i] != '.' || len(path)-1-i > maxExtLen {
		return wpn.FileAny
	}
	var b [maxExtLen]byte
	ext := b[:0]
	for _, c := range []byte(path[i+1:]) {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		ext = append(ext, c)
	}
	return fileTypes[string(ext)]
}

// typeMatches reports whether a file of type have satisfies a query for
// type want.
func typeMatches(want, have uint8) bool {
	switch want {
	case wpn.FileSoftware, wpn.FileAudio, wpn.FileVideo:
		return want == have
	}
	return true
}
