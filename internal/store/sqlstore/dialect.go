package sqlstore

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the whole difference between SQLite and PostgreSQL that the
// query code sees: placeholder syntax and error codes. Schema and version
// bookkeeping differ too and live in migrate.go.
type dialect struct {
	name string
	// numbered placeholders ($1, $2, …) instead of ?.
	numbered bool
}

// rebind rewrites ? placeholders to $1..$n for PostgreSQL. Queries in this
// package never contain a literal '?', so a plain scan is enough.
func (d dialect) rebind(q string) string {
	if !d.numbered || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// constraint classifies a database error.
type constraint int

const (
	notConstraint constraint = iota
	uniqueViolation
	foreignKeyViolation
)

// classify recognises unique and foreign-key violations from either
// driver: SQLite extended result codes, PostgreSQL SQLSTATE 23505/23503.
func classify(err error) constraint {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueViolation
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKeyViolation
		}
		return notConstraint
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		}
	}
	return notConstraint
}

// noLimit stands for "no limit" in LIMIT ?: both dialects accept a bigint
// there, which avoids a second query text per dialect for LIMIT ALL/-1.
const noLimit = math.MaxInt64

func limitArg(limit int) int64 {
	if limit <= 0 {
		return noLimit
	}
	return int64(limit)
}

var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// toNanos converts t for storage: the zero time is 0, other times are unix
// nanoseconds clamped to what an int64 holds (see the package doc).
func toNanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(minNanoTime):
		return math.MinInt64
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// fromNanos is the inverse of toNanos; times come back in UTC.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
