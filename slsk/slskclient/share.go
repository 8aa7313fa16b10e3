package slskclient

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// shareEntry is one shared file. Virtual is what peers see and ask for
// (backslash-separated, spec §3.3 "File entry"); rel is the slash path
// under the share root that os.Root opens. The two are built together
// during the scan and never derived from each other at request time, so a
// peer's path is only ever a map key (see shareIndex.lookup).
type shareEntry struct {
	virtual string
	lower   string // strings.ToLower(virtual), for query matching
	rel     string
	name    string // base name, as listed in SharedFileListResponse
	size    int64
	ext     string // lower-case extension without the dot
}

// shareDir is one directory of the share: its virtual path and the files
// directly inside it, as SharedFileListResponse lists them (spec §3.3).
type shareDir struct {
	virtual string
	files   []*shareEntry
}

// shareIndex is an immutable snapshot of the shared folder. A rescan
// builds a new index and swaps it in; readers never lock.
type shareIndex struct {
	root    string // absolute real path of the shared folder
	name    string // virtual name of the root folder
	dirs    []shareDir
	byPath  map[string]*shareEntry
	files   int
	skipped int // entries left out: symlinks, special and hidden files
}

// errTooManyFiles stops a scan that passes Options.MaxSharedFiles.
var errTooManyFiles = errors.New("slskclient: share has too many files")

// emptyShare is the index of a client that shares nothing.
func emptyShare() *shareIndex { return &shareIndex{byPath: map[string]*shareEntry{}} }

// defaultShareName picks the virtual root name: the folder's base name,
// as Nicotine+ does for a new shared folder, or "Shared" when the base
// name is unusable.
func defaultShareName(dir string) string {
	b := filepath.Base(dir)
	if b == "." || b == "/" || b == "" || b == string(filepath.Separator) || strings.ContainsRune(b, '\\') {
		return "Shared"
	}
	return b
}

// indexShare scans dir and returns its index. Only regular files are
// shared: symlinks (which could point outside dir), devices, sockets and
// hidden entries (leading '.') are skipped, as are names that contain a
// backslash, which would make a virtual path ambiguous. maxFiles <= 0
// means no limit.
//
// dir itself may be a symlink (or lie under one), as with a music folder
// linked from another disk: it is resolved first, since WalkDir does not
// follow a symlinked root and would share nothing. The default virtual
// name is still dir's own base name.
func indexShare(dir, name string, maxFiles int) (*shareIndex, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = defaultShareName(abs)
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("slskclient: share %s is not a directory", dir)
	}
	if strings.ContainsRune(name, '\\') {
		return nil, fmt.Errorf("slskclient: share name %q contains a backslash", name)
	}
	idx := &shareIndex{root: abs, name: name, byPath: map[string]*shareEntry{}}
	dirIndex := map[string]int{} // rel dir -> index in idx.dirs
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == abs {
				return err
			}
			return nil // unreadable entry: skip it, share the rest
		}
		rel, err := filepath.Rel(abs, p)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if rel != "." && !shareableName(d.Name()) {
			idx.skipped++
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			dirIndex[rel] = len(idx.dirs)
			idx.dirs = append(idx.dirs, shareDir{virtual: virtualPath(name, rel)})
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return nil
			}
			if maxFiles > 0 && idx.files >= maxFiles {
				return errTooManyFiles
			}
			e := &shareEntry{
				virtual: virtualPath(name, rel),
				rel:     rel,
				name:    d.Name(),
				size:    info.Size(),
				ext:     strings.ToLower(strings.TrimPrefix(path.Ext(d.Name()), ".")),
			}
			e.lower = strings.ToLower(e.virtual)
			di := dirIndex[path.Dir(rel)]
			idx.dirs[di].files = append(idx.dirs[di].files, e)
			idx.byPath[e.virtual] = e
			idx.files++
		default:
			idx.skipped++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(idx.dirs, func(i, j int) bool { return idx.dirs[i].virtual < idx.dirs[j].virtual })
	return idx, nil
}

// warnIfEmpty logs a warning when a share yields no file although its
// folder is not empty (only symlinks, hidden or special files), which
// otherwise looks like sharing silently failing. An empty folder is a
// legitimate share and is not reported.
func (idx *shareIndex) warnIfEmpty(log *slog.Logger, dir string) {
	if idx.files == 0 && idx.skipped > 0 {
		log.Warn("slsk: share has no regular file; symlinks, hidden and special files are not shared", "dir", dir, "skipped", idx.skipped)
	}
}

// shareableName reports whether a directory entry may be shared.
func shareableName(n string) bool {
	return n != "" && !strings.HasPrefix(n, ".") && !strings.ContainsRune(n, '\\')
}

// virtualPath turns a slash path under the root into the peer-visible
// form: the root's virtual name, then the components joined by '\'.
func virtualPath(name, rel string) string {
	if rel == "." || rel == "" {
		return name
	}
	return name + `\` + strings.ReplaceAll(rel, "/", `\`)
}

// lookup finds a shared file by the exact virtual path a peer sent. The
// path is never turned into a file-system path: anything not produced by
// the scan (for example `Shared\..\..\etc\passwd`) is simply not found.
func (idx *shareIndex) lookup(virtual string) (*shareEntry, bool) {
	e, ok := idx.byPath[virtual]
	return e, ok
}

// dirCount returns the number of shared folders, as SharedFoldersFiles
// reports it (spec §2, code 35).
func (idx *shareIndex) dirCount() int { return len(idx.dirs) }

// open opens a shared file for an upload. It goes through os.Root, so even
// if the tree changed since the scan (a file replaced by a symlink to
// /etc/passwd, a parent directory renamed) nothing outside the shared
// folder can be opened.
func (idx *shareIndex) open(e *shareEntry) (*os.File, error) {
	if idx.root == "" {
		return nil, fs.ErrNotExist
	}
	root, err := os.OpenRoot(idx.root)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.Open(e.rel)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("slskclient: %s is no longer a regular file", e.virtual)
	}
	return f, nil
}
