package slsk

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/revival-net/revival/internal/wire"
)

// File attribute types (spec §3.3). Lossy files usually carry bitrate,
// duration and VBR; lossless files duration, sample rate and bit depth.
const (
	AttrBitrate    uint32 = 0 // kbit/s
	AttrDuration   uint32 = 1 // seconds
	AttrVBR        uint32 = 2 // 1 if variable bitrate
	AttrSampleRate uint32 = 4 // Hz
	AttrBitDepth   uint32 = 5 // bits per sample
)

// FileAttribute is one (type, value) pair of a file entry (spec §3.3).
// Unknown types are kept, so a relayed list loses nothing.
type FileAttribute struct {
	Type  uint32
	Value uint32
}

// File is the file entry shared by search results, share lists and folder
// contents (spec §3.3). Name is the backslash-separated virtual path in
// search results and the bare file name inside a Dir. Code is always 1 on
// the wire; Extension is usually empty (Nicotine+ ignores it).
type File struct {
	Code       uint8
	Name       string
	Size       uint64
	Extension  string
	Attributes []FileAttribute
}

// minFileSize is the smallest encoded file entry: code, empty name, size,
// empty extension, no attributes. Counts are checked against it.
const minFileSize = 1 + 4 + 8 + 4 + 4

// minDirSize is the smallest encoded directory: empty name, no files.
const minDirSize = 4 + 4

// WriteFile appends one file entry.
func WriteFile(b *wire.Builder, f *File) {
	b.Uint8(f.Code)
	b.String(f.Name)
	b.Uint64(f.Size)
	b.String(f.Extension)
	b.Uint32(uint32(len(f.Attributes)))
	for _, a := range f.Attributes {
		b.Uint32(a.Type)
		b.Uint32(a.Value)
	}
}

// ErrTooManyEntries reports a message holding more directories, files or
// decoded bytes than its EntryBudget allows.
var ErrTooManyEntries = errors.New("slsk: too many file entries")

// EntryBudget is what decoding one message may still allocate for its
// directories, files and attributes. A share list's counts are the peer's
// word, and a count that fits the bytes left still decodes to more memory
// than it was sent as (a 21-byte empty entry becomes a 72-byte File), so
// the readers below never size a slice by a count: they grow it as
// entries decode and charge each one here, and stop with
// ErrTooManyEntries when either bound runs out.
type EntryBudget struct {
	// Entries is how many more directories and files may decode.
	Entries int
	// Bytes is how much more decoded memory they may take: each entry's
	// struct, its strings and its attributes (entryCost). Slice growth
	// beyond the entries decoded is not charged; append keeps it under
	// a quarter for large slices.
	Bytes int64
}

// Decoded sizes charged to an EntryBudget.
const (
	fileCost = int64(unsafe.Sizeof(File{}))
	attrCost = int64(unsafe.Sizeof(FileAttribute{}))
	dirCost  = int64(unsafe.Sizeof(Dir{}))
)

// charge takes entries and bytes from b, or records ErrTooManyEntries in
// r and reports false. A nil budget allows everything: encoders' tests and
// trusted input.
func (b *EntryBudget) charge(r *wire.Reader, entries int, bytes int64) bool {
	if b == nil || r.Err() != nil {
		return r.Err() == nil
	}
	if entries > b.Entries || bytes > b.Bytes {
		r.Fail(fmt.Errorf("%w: budget left %d entries, %d bytes", ErrTooManyEntries, b.Entries, b.Bytes))
		return false
	}
	b.Entries -= entries
	b.Bytes -= bytes
	return true
}

// fits reports whether n more entries could fit b, so a count beyond the
// budget fails before anything decodes.
func (b *EntryBudget) fits(r *wire.Reader, n int) bool {
	if b != nil && n > b.Entries {
		r.Fail(fmt.Errorf("%w: count %d with %d entries left", ErrTooManyEntries, n, b.Entries))
		return false
	}
	return r.Err() == nil
}

// growStart is the most capacity a list reserves before its entries have
// decoded: enough for a typical search answer or folder, never a count a
// peer chose.
const growStart = 64

// ReadFile reads one file entry, charging it to b. Soulseek NS wrote
// sizes above 2 GiB as a u32 followed by 4 garbage bytes (0xFFFFFFFF), so
// when the size's 8th byte is 0xFF only the low 32 bits are kept, as
// Nicotine+ does (spec §3.3).
func ReadFile(r *wire.Reader, b *EntryBudget) File {
	var f File
	f.Code = r.Uint8()
	f.Name = r.String()
	f.Size = r.Uint64()
	if f.Size>>56 == 0xFF {
		f.Size &= 0xFFFFFFFF
	}
	f.Extension = r.String()
	if !b.charge(r, 1, fileCost+int64(len(f.Name)+len(f.Extension))) {
		return File{}
	}
	n := r.Count(8)
	if n > 0 {
		f.Attributes = make([]FileAttribute, 0, min(n, growStart))
		for range n {
			a := FileAttribute{Type: r.Uint32(), Value: r.Uint32()}
			if !b.charge(r, 0, attrCost) {
				return File{}
			}
			f.Attributes = append(f.Attributes, a)
		}
	}
	return f
}

// WriteFiles appends a u32 count and the entries.
func WriteFiles(b *wire.Builder, files []File) {
	b.Uint32(uint32(len(files)))
	for i := range files {
		WriteFile(b, &files[i])
	}
}

// ReadFiles reads a u32 count and that many entries, charging them to
// budget. The count is checked against the bytes left and the entries
// the budget has left before anything is decoded; the slice grows as
// entries decode.
func ReadFiles(r *wire.Reader, budget *EntryBudget) []File {
	n := r.Count(minFileSize)
	if n == 0 || !budget.fits(r, n) {
		return nil
	}
	files := make([]File, 0, min(n, growStart))
	for range n {
		f := ReadFile(r, budget)
		if r.Err() != nil {
			return nil
		}
		files = append(files, f)
	}
	return files
}

// Dir is one directory of a share list or folder contents (spec §3.3):
// its backslash path and the files directly in it.
type Dir struct {
	Name  string
	Files []File
}

// WriteDirs appends a u32 count and the directories.
func WriteDirs(b *wire.Builder, dirs []Dir) {
	b.Uint32(uint32(len(dirs)))
	for i := range dirs {
		b.String(dirs[i].Name)
		WriteFiles(b, dirs[i].Files)
	}
}

// ReadDirs reads a u32 count and that many directories with their files,
// charging them to budget like ReadFiles.
func ReadDirs(r *wire.Reader, budget *EntryBudget) []Dir {
	n := r.Count(minDirSize)
	if n == 0 || !budget.fits(r, n) {
		return nil
	}
	dirs := make([]Dir, 0, min(n, growStart))
	for range n {
		var d Dir
		d.Name = r.String()
		if !budget.charge(r, 1, dirCost+int64(len(d.Name))) {
			return nil
		}
		d.Files = ReadFiles(r, budget)
		if r.Err() != nil {
			return nil
		}
		dirs = append(dirs, d)
	}
	return dirs
}
