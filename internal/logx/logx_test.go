package logx

import (
	"strings"
	"testing"
)

func TestPeer(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "alice", "alice"},
		{"escape bytes", "bad\x1b[2Jroom", `bad\x1b[2Jroom`},
		{"newline", "a\nb", `a\nb`},
		{"backslash", `a\b`, `a\\b`},
		{"invalid utf8", "a\xffb", `a\xffb`},
		{"c1 control", "a\u0085b", `a\u0085b`},
		{"unicode kept", "café", "café"},
		{"long", strings.Repeat("x", 70000), strings.Repeat("x", PeerMax) + "…(+69936 bytes)"},
		{"cut on rune boundary", strings.Repeat("x", PeerMax-1) + "é", strings.Repeat("x", PeerMax-1) + "…(+2 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Peer(tt.in); got != tt.want {
				t.Errorf("Peer(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzPeer(f *testing.F) {
	f.Add("alice")
	f.Add("\x1b\xff\u0085" + strings.Repeat("é", 40))
	f.Fuzz(func(t *testing.T, s string) {
		got := Peer(s)
		for _, r := range got {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("Peer(%q) = %q keeps control rune %U", s, got, r)
			}
		}
		if len(got) > 4*PeerMax+32 {
			t.Fatalf("Peer(%q) is %d bytes", s, len(got))
		}
	})
}
