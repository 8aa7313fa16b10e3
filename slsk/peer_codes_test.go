package slsk

import "testing"

func TestPeerCodeNames(t *testing.T) {
	tests := []struct {
		name          string
		str, label    string
		wantS, wantLb string
	}{
		{"peer known", PeerCodeFileSearchResponse.String(), PeerCodeFileSearchResponse.Label(), "FileSearchResponse", "FileSearchResponse"},
		{"peer unknown", PeerCode(1234).String(), PeerCode(1234).Label(), "1234", "unknown"},
		{"distrib known", DistribCodeSearch.String(), DistribCodeSearch.Label(), "DistribSearch", "DistribSearch"},
		{"distrib unknown", DistribCode(99).String(), DistribCode(99).Label(), "99", "unknown"},
		{"init known", InitCodePierceFirewall.String(), InitCodePierceFirewall.Label(), "PierceFireWall", "PierceFireWall"},
		{"init unknown", InitCode(7).String(), InitCode(7).Label(), "7", "unknown"},
	}
	for _, tc := range tests {
		if tc.str != tc.wantS || tc.label != tc.wantLb {
			t.Errorf("%s: String=%q Label=%q, want %q %q", tc.name, tc.str, tc.label, tc.wantS, tc.wantLb)
		}
	}
	// Every registered message has a name, so no metric label says "unknown"
	// for a message we decode.
	for code := range peerMessages {
		if code.Label() == "unknown" {
			t.Errorf("peer code %d has no name", code)
		}
	}
	for code := range distribMessages {
		if code.Label() == "unknown" {
			t.Errorf("distributed code %d has no name", code)
		}
	}
	for code := range initMessages {
		if code.Label() == "unknown" {
			t.Errorf("peer-init code %d has no name", code)
		}
	}
}
