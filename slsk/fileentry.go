package slsk

import "github.com/revival-net/revival/internal/wire"

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

// ReadFile reads one file entry. Soulseek NS wrote sizes above 2 GiB as a
// u32 followed by 4 garbage bytes (0xFFFFFFFF), so when the size's 8th byte
// is 0xFF only the low 32 bits are kept, as Nicotine+ does (spec §3.3).
func ReadFile(r *wire.Reader) File {
	var f File
	f.Code = r.Uint8()
	f.Name = r.String()
	f.Size = r.Uint64()
	if f.Size>>56 == 0xFF {
		f.Size &= 0xFFFFFFFF
	}
	f.Extension = r.String()
	n := r.Count(8)
	if n > 0 {
		f.Attributes = make([]FileAttribute, n)
		for i := range f.Attributes {
			f.Attributes[i] = FileAttribute{Type: r.Uint32(), Value: r.Uint32()}
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

// ReadFiles reads a u32 count and that many entries. The count is checked
// against the bytes left before anything is allocated.
func ReadFiles(r *wire.Reader) []File {
	n := r.Count(minFileSize)
	if n == 0 {
		return nil
	}
	files := make([]File, n)
	for i := range files {
		files[i] = ReadFile(r)
		if r.Err() != nil {
			return nil
		}
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

// ReadDirs reads a u32 count and that many directories, checking the count
// against the bytes left first.
func ReadDirs(r *wire.Reader) []Dir {
	n := r.Count(minDirSize)
	if n == 0 {
		return nil
	}
	dirs := make([]Dir, n)
	for i := range dirs {
		dirs[i].Name = r.String()
		dirs[i].Files = ReadFiles(r)
		if r.Err() != nil {
			return nil
		}
	}
	return dirs
}
