package slsk

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestFileConnection(t *testing.T) {
	// Uploader to downloader: raw token 548426, then file bytes
	// (e2e_soulfind_2x_nicotine: 4a 5e 08 00 5a 49 34 c0 …).
	up := bytes.NewReader(hx("4a 5e 08 00 5a 49 34 c0"))
	token, err := ReadFileToken(up)
	if err != nil || token != 548426 {
		t.Fatalf("ReadFileToken = %d, %v; want 548426", token, err)
	}
	if rest, _ := io.ReadAll(up); !bytes.Equal(rest, hx("5a 49 34 c0")) {
		t.Errorf("token read consumed file bytes: rest %x", rest)
	}
	if got := AppendFileToken(nil, 548426); !bytes.Equal(got, hx("4a 5e 08 00")) {
		t.Errorf("AppendFileToken = %x", got)
	}

	// Downloader to uploader: raw u64 offset.
	if got := AppendFileOffset([]byte{9}, 0); !bytes.Equal(got, hx("09 00 00 00 00 00 00 00 00")) {
		t.Errorf("AppendFileOffset = %x", got)
	}
	off, err := ReadFileOffset(bytes.NewReader(AppendFileOffset(nil, 5<<30)))
	if err != nil || off != 5<<30 {
		t.Errorf("ReadFileOffset = %d, %v; want %d", off, err, uint64(5<<30))
	}
}

func TestFileConnectionErrors(t *testing.T) {
	tests := []struct {
		name string
		read func(io.Reader) error
		in   []byte
		want error
	}{
		{"token, closed before", func(r io.Reader) error { _, err := ReadFileToken(r); return err }, nil, io.EOF},
		{"token, closed midway", func(r io.Reader) error { _, err := ReadFileToken(r); return err }, []byte{1, 2}, io.ErrUnexpectedEOF},
		{"offset, closed before", func(r io.Reader) error { _, err := ReadFileOffset(r); return err }, nil, io.EOF},
		{"offset, closed midway", func(r io.Reader) error { _, err := ReadFileOffset(r); return err }, []byte{1, 2, 3, 4, 5, 6, 7}, io.ErrUnexpectedEOF},
	}
	for _, tc := range tests {
		if err := tc.read(bytes.NewReader(tc.in)); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}
