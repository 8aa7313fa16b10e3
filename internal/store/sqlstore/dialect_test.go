package sqlstore

import (
	"math"
	"testing"
	"time"
)

func TestRebind(t *testing.T) {
	cases := []struct {
		in, sqlite, postgres string
	}{
		{"SELECT 1", "SELECT 1", "SELECT 1"},
		{"a = ?", "a = ?", "a = $1"},
		{"VALUES (?, ?, ?) LIMIT ?", "VALUES (?, ?, ?) LIMIT ?", "VALUES ($1, $2, $3) LIMIT $4"},
		{qTickerSet, qTickerSet, `INSERT INTO tickers (network, room, username, text, seq)
VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM tickers WHERE network = $5 AND room = $6))
ON CONFLICT (network, room, username) DO UPDATE SET text = excluded.text, seq = excluded.seq`},
	}
	lite, pg := dialect{name: DriverSQLite}, dialect{name: DriverPostgres, numbered: true}
	for _, c := range cases {
		if got := lite.rebind(c.in); got != c.sqlite {
			t.Errorf("sqlite rebind(%q) = %q", c.in, got)
		}
		if got := pg.rebind(c.in); got != c.postgres {
			t.Errorf("postgres rebind(%q) = %q, want %q", c.in, got, c.postgres)
		}
	}
}

func TestNanos(t *testing.T) {
	t0 := time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.FixedZone("CET", 3600))
	cases := []struct {
		name string
		in   time.Time
		n    int64
		back time.Time
	}{
		{"zero", time.Time{}, 0, time.Time{}},
		{"ordinary, zone dropped", t0, t0.UnixNano(), t0.UTC()},
		{"before 1970", time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC), -14182980000000000, time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)},
		{"year 9999 clamps", time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64, time.Unix(0, math.MaxInt64).UTC()},
		{"year 1 (not zero) clamps", time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), math.MinInt64, time.Unix(0, math.MinInt64).UTC()},
	}
	for _, c := range cases {
		n := toNanos(c.in)
		if n != c.n {
			t.Errorf("%s: toNanos = %d, want %d", c.name, n, c.n)
		}
		back := fromNanos(n)
		if !back.Equal(c.back) || back.Location() != time.UTC {
			t.Errorf("%s: fromNanos = %v, want %v in UTC", c.name, back, c.back)
		}
	}
}

func TestLimitArg(t *testing.T) {
	for in, want := range map[int]int64{-1: noLimit, 0: noLimit, 1: 1, 500: 500} {
		if got := limitArg(in); got != want {
			t.Errorf("limitArg(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestSQLiteDSN(t *testing.T) {
	cases := []struct {
		path  string
		write bool
		want  string
	}{
		{"/var/lib/revival/revival.db", true, "file:/var/lib/revival/revival.db?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"},
		{"rel/x y?#%.db", false, "file:rel/x%20y%3F%23%25.db?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=query_only(1)&_txlock=deferred"},
		{"file:a.db?vfs=unix", false, "file:a.db?vfs=unix&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=query_only(1)&_txlock=deferred"},
	}
	for _, c := range cases {
		if got := sqliteDSN(c.path, c.write); got != c.want {
			t.Errorf("sqliteDSN(%q, %v) =\n %s\nwant\n %s", c.path, c.write, got, c.want)
		}
	}
}
