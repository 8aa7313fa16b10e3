package wire

import "bytes"

// CString reads a NUL-terminated string (WinMX, MSN's binary parts) and
// returns its bytes without the terminator, aliasing the payload. A last
// string that runs to the end of the payload without a terminator is
// accepted, as WinMX clients tolerate it (wpn.md §3.1).
func (r *Reader) CString() []byte {
	if r.err != nil {
		return nil
	}
	rest := r.buf[r.off:]
	if i := bytes.IndexByte(rest, 0); i >= 0 {
		r.off += i + 1
		return rest[:i:i]
	}
	r.off = len(r.buf)
	return rest
}

// CString appends p and a NUL terminator. p must not contain a NUL; the
// caller's encoder removes them (a NUL would end the field early).
func (b *Builder) CString(p []byte) {
	b.buf = append(b.buf, p...)
	b.buf = append(b.buf, 0)
}
