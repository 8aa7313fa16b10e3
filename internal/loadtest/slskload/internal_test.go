package slskload

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSummarize(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var d []time.Duration
		for _, x := range v {
			d = append(d, time.Duration(x)*time.Millisecond)
		}
		return d
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // reversed, to check sorting
	}
	tests := []struct {
		name string
		in   []time.Duration
		want Percentiles
	}{
		{"empty", nil, Percentiles{}},
		{"one", ms(7), Percentiles{Count: 1, Min: 7, P50: 7, P90: 7, P99: 7, Max: 7, Mean: 7}},
		{"two", ms(10, 2), Percentiles{Count: 2, Min: 2, P50: 2, P90: 10, P99: 10, Max: 10, Mean: 6}},
		{"1..100", ms(hundred...), Percentiles{Count: 100, Min: 1, P50: 50, P90: 90, P99: 99, Max: 100, Mean: 50.5}},
		{"sub-millisecond", []time.Duration{1500 * time.Microsecond}, Percentiles{Count: 1, Min: 1.5, P50: 1.5, P90: 1.5, P99: 1.5, Max: 1.5, Mean: 1.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(summarize(tt.in), tt.want); diff != "" {
				t.Errorf("summarize (-got +want):\n%s", diff)
			}
		})
	}
}

func TestParseChat(t *testing.T) {
	tests := []struct {
		text     string
		wantSeq  int
		wantSent int64
		wantOK   bool
	}{
		{chatText(0, 0), 0, 0, true},
		{chatText(199, 1234567890123), 199, 1234567890123, true},
		{"hello there", 0, 0, false},
		{"bench x 5", 0, 0, false},
		{"bench -1 5", 0, 0, false},
		{"bench 1 2 3", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		seq, sent, ok := parseChat(tt.text)
		if ok != tt.wantOK || ok && (seq != tt.wantSeq || sent != tt.wantSent) {
			t.Errorf("parseChat(%q) = %d, %d, %v; want %d, %d, %v", tt.text, seq, sent, ok, tt.wantSeq, tt.wantSent, tt.wantOK)
		}
	}
}

func TestUsername(t *testing.T) {
	o, err := Options{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	got := []string{o.username(0), o.username(9999)}
	if diff := cmp.Diff(got, []string{"bench00001", "bench10000"}); diff != "" {
		t.Errorf("names (-got +want):\n%s", diff)
	}
}
