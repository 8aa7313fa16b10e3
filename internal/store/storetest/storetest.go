// Package storetest is the conformance suite for store.Store
// implementations (style guide §3.5): every method's contract, checked the
// same way against SQLite and PostgreSQL, so the two dialects cannot drift
// apart unnoticed.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/revival-net/revival/internal/store"
)

// Run runs the whole suite. open must return a new, empty store for each
// call; Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"Users", userTests},
		{"Messages", messageTests},
		{"Rooms", roomTests},
		{"Tickers", tickerTests},
		{"Settings", settingTests},
		{"Changes", changeTests},
		{"WPNRooms", wpnRoomTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					s := open(t)
					t.Cleanup(func() {
						if err := s.Close(); err != nil {
							t.Errorf("Close: %v", err)
						}
					})
					tc.fn(t, s)
				})
			}
		})
	}
}

// test is one case of the suite; fn gets a fresh store.
type test struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

// cmpOpts compares times with time.Time.Equal (cmp's default for types
// with an Equal method) and treats nil and empty slices and maps alike,
// since the interfaces do not promise either.
var cmpOpts = cmp.Options{cmpopts.EquateEmpty()}

// ctx is the context for store calls; a test's deadline comes from go test.
var ctx = context.Background()

// t0 is a fixed instant with nanoseconds, so a store that rounds to
// microseconds or seconds fails the round-trip checks.
var t0 = time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.UTC)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails the test unless errors.Is(err, want).
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}
