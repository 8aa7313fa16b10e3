package wpnclient_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnclient"
	"github.com/revival-net/revival/wpn/wpntest"
)

// A shared folder is found by term and by hash; dot-files stay private.
func TestShareFolder(t *testing.T) {
	h := wpntest.Start(t)
	dir := t.TempDir()
	for name, body := range map[string]string{"Shared Tune.mp3": "la la la la la la la la la la la la", "sub/Other Tune.ogg": "x", ".bashrc": "secret"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	alice := dial(t, h, "alice123", wpnclient.Options{})
	n, err := alice.Share(dir)
	if err != nil || n != 2 {
		t.Fatalf("shared %d, %v", n, err)
	}
	if err := alice.Sync(ctx(t)); err != nil {
		t.Fatal(err)
	}
	bob := dial(t, h, "bob123", wpnclient.Options{})
	hits := func(s *wpnclient.Search) []*wpn.SearchHit {
		if err := bob.Sync(ctx(t)); err != nil {
			t.Fatal(err)
		}
		s.Stop()
		var out []*wpn.SearchHit
		for h := range s.Hits {
			out = append(out, h)
		}
		return out
	}
	s, _ := bob.Search("tune", 0, 0)
	if got := hits(s); len(got) != 2 {
		t.Fatalf("term search: %d hits", len(got))
	}
	s, _ = bob.Search("bashrc", 0, 0)
	if got := hits(s); len(got) != 0 {
		t.Fatalf("a dot-file was shared: %+v", got[0])
	}
	f, _ := os.Open(filepath.Join(dir, "Shared Tune.mp3"))
	defer f.Close()
	sum, err := wpnclient.FileHash(f, 35)
	if err != nil {
		t.Fatal(err)
	}
	s, _ = bob.HashSearch([wpn.HashSize16]byte(sum[:16]))
	got := hits(s)
	if len(got) != 1 || got[0].Size != 35 || got[0].Hash != sum {
		t.Fatalf("hash search: %+v", got)
	}
}
