package sqlstore

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/revival-net/revival/internal/store"
)

// BenchmarkUsersGet measures the login hot path: a primary-key lookup of
// one of 10,000 accounts through the prepared statement on the read pool.
// "parallel" runs GOMAXPROCS goroutines, as concurrent logins do.
func BenchmarkUsersGet(b *testing.B) {
	ctx := context.Background()
	s := openTempSQLite(b)
	defer s.Close()
	const users = 10000
	now := time.Now()
	for i := range users {
		u := store.User{Name: "user" + strconv.Itoa(i), PasswordHash: "$2a$10$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQ", CreatedAt: now}
		if err := s.Users().Create(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	names := make([]string, users)
	for i := range names {
		names[i] = "user" + strconv.Itoa((i*7919)%users)
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := s.Users().Get(ctx, names[i%users]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := s.Users().Get(ctx, names[i%users]); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}

// BenchmarkMessagesAdd measures a durable (committed) offline-message
// insert through the single writer connection.
func BenchmarkMessagesAdd(b *testing.B) {
	ctx := context.Background()
	s := openTempSQLite(b)
	defer s.Close()
	m := store.Message{Network: "slsk", From: "bob", To: "alice", Text: "hello there", SentAt: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Messages().Add(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}
