package wpnchat

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// BenchmarkFanout1000 measures one chat line fanned out to 1,000 members
// over real TCP connections on loopback, from the sender's write to the
// receipt by each member (the target: p99 under 50 ms). Each
// member has its own connection and reader goroutine, and the host
// encodes the line once and queues the same bytes to every member
// (netconn encrypts per connection).
//
//	go test ./wpn/wpnchat -run '^$' -bench Fanout1000 -benchtime 20x
//
// The sender's TextRate is lifted: one member says every line.
func BenchmarkFanout1000(b *testing.B) { benchFanout(b, 1000) }

// BenchmarkFanout100 is the same with 100 members, a quick smoke run.
func BenchmarkFanout100(b *testing.B) { benchFanout(b, 100) }

func benchFanout(b *testing.B, members int) {
	e := newBenchEnv(b, members)
	room := e.room("Lounge")

	var mu sync.Mutex
	sent := map[int]time.Time{}
	var lat []time.Duration
	var wg sync.WaitGroup
	receive := func(i int) {
		mu.Lock()
		lat = append(lat, time.Since(sent[i]))
		mu.Unlock()
		wg.Done()
	}

	sessions := make([]*wpnconn.Session, members)
	joined := make(chan int, members)
	var joinWG sync.WaitGroup
	for i := range members {
		joinWG.Add(1)
		go func() {
			defer joinWG.Done()
			s, err := wpnconn.Dial(ctx, e.addr, wpn.KeyChatClient)
			if err != nil {
				b.Error(err)
				return
			}
			sessions[i] = s
			name := fmt.Sprintf("m%04d_00001", i)
			_ = s.Send(wpn.ChatFlag(wpn.ChatHello353, 0x31))
			_ = s.Send(joinReq(room, name))
			go benchReader(s.Frames(0), name, joined, i, receive)
		}()
		if i%50 == 49 {
			joinWG.Wait() // batches: the host's join timeout is per connection
		}
	}
	joinWG.Wait()
	for range members {
		<-joined
	}
	defer func() {
		for _, s := range sessions {
			if s != nil {
				s.Close()
			}
		}
	}()
	if b.Failed() {
		return
	}

	sender := sessions[0]
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		wg.Add(members)
		mu.Lock()
		sent[i] = time.Now()
		mu.Unlock()
		if err := sender.Send(&wpn.ChatSay{Text: "b" + strconv.Itoa(i)}); err != nil {
			b.Fatal(err)
		}
		wg.Wait()
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	}
}

// benchReader reads a member's frames: it reports its own join on joined
// and every "b<N>" line to receive.
func benchReader(fr *wpn.FrameReader, name string, joined chan<- int, i int, receive func(int)) {
	self := []byte(name + "\x00")
	for {
		typ, payload, err := fr.Next()
		if err != nil {
			return
		}
		switch wpn.Type(typ) {
		case wpn.ChatUserJoined:
			if bytes.HasPrefix(payload, self) {
				joined <- i
			}
		case wpn.ChatTextFrom:
			_, rest, _ := bytes.Cut(payload, []byte{0})
			text, _, _ := bytes.Cut(rest, []byte{0})
			if len(text) > 1 && text[0] == 'b' {
				if n, err := strconv.Atoi(string(text[1:])); err == nil {
					receive(n)
				}
			}
		}
	}
}

// newBenchEnv is newEnv for a benchmark: a room that holds n members.
func newBenchEnv(b *testing.B, n int) *env {
	e := &env{t: b, dir: b.TempDir()}
	e.openStore()
	if err := e.st.WPNRooms().Create(ctx, lounge); err != nil {
		b.Fatal(err)
	}
	e.start(Limits{MaxMembers: n + 10, TextRate: rateUnlimited()}) // one sender, many lines
	return e
}
