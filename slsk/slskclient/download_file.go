package slskclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// ErrDownloadBusy is returned by DownloadFile when another DownloadFile in
// this process is writing the same local file name.
var ErrDownloadBusy = errors.New("slskclient: another download is writing this file")

// incompleteDir is the folder under Options.DownloadDir that holds
// partial downloads. localName never returns a name with a separator, so
// no finished download can land in it or take a partial file's name.
const incompleteDir = ".incomplete"

// DownloadFile downloads path from user into Options.DownloadDir, named
// after the last component of the virtual path (made safe by localName:
// `.bashrc` is saved as `_bashrc`). When the size is known from a search
// result, DownloadFileSized also refuses an uploader announcing another.
// The data goes to a partial file in DownloadDir/.incomplete first, named
// after a hash of user and path, so only an earlier attempt at the same
// file from the same user is resumed (DownloadAt); a download of
// `one\x.bin` never continues one of `two\x.bin`. Partial files that are
// not regular files (a symbolic link, say) are refused, not written
// through. When complete, the file gets its final name without replacing
// anything: if NAME appeared meanwhile, DownloadFile fails and the data
// stays in the partial file. Two DownloadFile calls in one process for the
// same NAME do not run at once: the second fails with ErrDownloadBusy.
// It returns the final file name.
func (c *Client) DownloadFile(ctx context.Context, user, path string, progress func(done, total int64)) (string, error) {
	return c.downloadFile(ctx, &download{user: user, path: path}, progress)
}

// DownloadFileSized is DownloadFile for a file whose size is known from
// the search result or share list that named it: an uploader offering
// any other size is refused and the download fails with ErrBadSize.
func (c *Client) DownloadFileSized(ctx context.Context, user, path string, size uint64, progress func(done, total int64)) (string, error) {
	return c.downloadFile(ctx, &download{user: user, path: path, want: size, sized: true}, progress)
}

// downloadFile runs DownloadFile for d (user, path and the expected size
// if known); it sets d.offset from the partial file.
func (c *Client) downloadFile(ctx context.Context, d *download, progress func(done, total int64)) (string, error) {
	user, path := d.user, d.path
	name := localName(path)
	if name == "" {
		return "", fmt.Errorf("slskclient: no usable file name in %q", path)
	}
	if err := os.MkdirAll(filepath.Join(c.opts.DownloadDir, incompleteDir), 0o755); err != nil {
		return "", err
	}
	final := filepath.Join(c.opts.DownloadDir, name)
	unlock, err := lockLocalName(final)
	if err != nil {
		return "", err
	}
	defer unlock()
	root, err := os.OpenRoot(c.opts.DownloadDir)
	if err != nil {
		return "", err
	}
	defer root.Close()
	if _, err := root.Lstat(name); err == nil {
		return "", fmt.Errorf("slskclient: %s already exists", final)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	part := filepath.Join(incompleteDir, partName(user, path, name))
	f, err := openPart(root, part)
	if err != nil {
		return "", err
	}
	defer f.Close()
	offset, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return "", err
	}
	d.offset = offset
	if _, err := c.downloadAt(ctx, d, f, progress); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := c.publish(root, part, name); err != nil {
		return "", err
	}
	return final, nil
}

// localNames are the absolute paths DownloadFile calls of this process are
// writing; see lockLocalName.
var localNames = struct {
	sync.Mutex
	m map[string]struct{}
}{m: map[string]struct{}{}}

// lockLocalName reserves the local file path for one DownloadFile, or
// fails with ErrDownloadBusy when another holds it. Two downloads of one
// file from one user would otherwise append to one partial file.
func lockLocalName(path string) (unlock func(), err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	localNames.Lock()
	defer localNames.Unlock()
	if _, busy := localNames.m[abs]; busy {
		return nil, fmt.Errorf("%w: %s", ErrDownloadBusy, abs)
	}
	localNames.m[abs] = struct{}{}
	return func() {
		localNames.Lock()
		delete(localNames.m, abs)
		localNames.Unlock()
	}, nil
}

// partName is the partial file's name for path from user: the readable
// local name (shortened, so the whole stays within the usual 255-byte
// limit) and 16 hex digits of SHA-256 over user and path.
func partName(user, path, name string) string {
	h := sha256.Sum256([]byte(user + "\x00" + path))
	return truncateUTF8(name, 200) + "." + hex.EncodeToString(h[:8]) + ".part"
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// openPart opens (creating it if needed) the partial file part under root
// for appending. It refuses anything but a regular file, and checks after
// opening that the name still is the file it opened, so a symbolic link
// put there, before or during the open, is never written through. root
// keeps every path inside DownloadDir.
func openPart(root *os.Root, part string) (*os.File, error) {
	if st, err := root.Lstat(part); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("slskclient: partial file %s is not a regular file (%v)", part, st.Mode().Type())
	}
	f, err := root.OpenFile(part, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	opened, err := f.Stat()
	if err == nil {
		var named fs.FileInfo
		named, err = root.Lstat(part)
		if err == nil && (!named.Mode().IsRegular() || !os.SameFile(opened, named)) {
			err = fmt.Errorf("slskclient: partial file %s changed while opening it", part)
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// publish gives the finished partial file its final name without
// replacing a file that appeared during the download: a hard link fails
// if the name exists, and only then is the partial name removed. On file
// systems without hard links (FAT, some network mounts) it claims the name
// with an exclusive create and renames over that claim.
func (c *Client) publish(root *os.Root, part, name string) error {
	err := root.Link(part, name)
	if err == nil {
		if err := root.Remove(part); err != nil {
			// The file is complete under its final name; the stray
			// partial file is only clutter.
			c.log.Debug("slsk: removing the partial file", "file", part, "err", err)
		}
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("slskclient: %s appeared during the download; the data stays in %s: %w", name, part, err)
	}
	claim, cerr := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if cerr != nil {
		if errors.Is(cerr, fs.ErrExist) {
			return fmt.Errorf("slskclient: %s appeared during the download; the data stays in %s: %w", name, part, cerr)
		}
		return fmt.Errorf("slskclient: naming the download %s: %w (hard link: %v)", name, cerr, err)
	}
	claim.Close()
	return root.Rename(part, name)
}

// localName is the last component of a virtual path, made safe as a
// local file name: no separators, no "." or "..", and no control or
// bidirectional-override characters (each becomes '_'), so a peer's file
// name can neither leave DownloadDir nor forge lines or reorder text in a
// listing or a log. Leading dots become '_' too: a peer must not plant a
// hidden file (`.bashrc`, `.profile`) that a user who downloads into
// their home folder never sees and a shell runs, and no name can then
// meet incompleteDir.
func localName(virtual string) string {
	if i := strings.LastIndexAny(virtual, `\/`); i >= 0 {
		virtual = virtual[i+1:]
	}
	virtual = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || unsafeRune(r) {
			return '_'
		}
		return r
	}, virtual)
	if virtual == "." || virtual == ".." {
		return ""
	}
	if rest := strings.TrimLeft(virtual, "."); len(rest) < len(virtual) {
		virtual = strings.Repeat("_", len(virtual)-len(rest)) + rest
	}
	return virtual
}

// unsafeRune reports characters that must not reach a file name: C0 and
// C1 controls (NUL, newline, ESC...), line and paragraph separators, and
// the bidirectional controls that make "gpj.exe" display as "exe.jpg".
func unsafeRune(r rune) bool {
	switch {
	case unicode.IsControl(r), r == utf8.RuneError:
		return true
	case r == '\u2028' || r == '\u2029': // line, paragraph separator
		return true
	case r == '\u200e' || r == '\u200f' || r == '\u061c': // LRM, RLM, ALM
		return true
	case r >= '\u202a' && r <= '\u202e': // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= '\u2066' && r <= '\u2069': // LRI, RLI, FSI, PDI
		return true
	}
	return false
}
