package wpnclient

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/revival-net/revival/wpn"
)

// MaxShared is WinMX's own library cap (wpn.md §3.5).
const MaxShared = 65535

// Share announces the files under dir to the primary, one 0x0FA3 per
// folder (wpn.md §3.5), with their §2.7 hashes, and returns how many.
// Folders are sent in Windows form (backslashes), as WinMX shows them.
// Dot-files and dot-folders, symlinks, and files of 4 GiB or more (the
// size field is 32 bits) are left out; at most MaxShared files.
func (c *Client) Share(dir string) (int, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return 0, err
	}
	folders := map[string][]wpn.SharedFile{}
	total := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || total >= MaxShared {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() >= 1<<32 {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return nil
		}
		h, err := FileHash(f, info.Size())
		f.Close()
		if err != nil {
			return nil
		}
		folder := windowsPath(filepath.Dir(path))
		folders[folder] = append(folders[folder], wpn.SharedFile{Name: d.Name(), Hash: h, Size: uint32(info.Size())})
		total++
		return nil
	})
	if err != nil {
		return 0, err
	}
	names := make([]string, 0, len(folders))
	for f := range folders {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		if err := c.sendFolder(f, folders[f]); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// sendFolder sends a folder's files in as many 0x0FA3 as the 64 KiB
// frame limit needs.
func (c *Client) sendFolder(folder string, files []wpn.SharedFile) error {
	for len(files) > 0 {
		p := &wpn.ShareFolder{Folder: folder}
		size := len(folder) + 1
		for len(files) > 0 {
			n := len(files[0].Name) + 1 + wpn.HashSize + 4 + 10
			if len(p.Files) > 0 && size+n > wpn.MaxPayload {
				break
			}
			size += n
			p.Files = append(p.Files, files[0])
			files = files[1:]
		}
		if size > wpn.MaxPayload {
			return errors.New("wpnclient: a file name too long to share")
		}
		if err := c.s.Send(p); err != nil {
			return err
		}
	}
	return nil
}

// windowsPath writes a local path as WinMX shows shared folders.
func windowsPath(p string) string {
	p = filepath.ToSlash(p)
	if !strings.Contains(p, ":") {
		p = "C:" + p // a drive letter, as every WinMX path has one
	}
	return strings.ReplaceAll(p, "/", `\`)
}
