package wpnload_test

import (
	"testing"
	"time"

	"github.com/revival-net/revival/internal/loadtest/wpnload"
	"github.com/revival-net/revival/wpn/wpntest"
)

// A small run against an in-process primary: every login and share
// succeeds, every search is answered, and the vocabulary makes searches
// find files (a run that found nothing would measure nothing).
func TestRunSmall(t *testing.T) {
	h := wpntest.Start(t)
	res, err := wpnload.Run(t.Context(), h.Addr, wpnload.Options{
		Secondaries: 30, Files: 50, Searches: 20, Searchers: 5, Vocabulary: 200, Settle: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) > 0 {
		t.Fatalf("failures: %v", res.Failures)
	}
	if res.Secondaries != 30 || res.SharedFiles != 1500 || res.Search.Count != 20 || res.SearchHits == 0 {
		t.Fatalf("result %+v", res)
	}
}
