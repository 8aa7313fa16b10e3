package slskload

import (
	"context"
	"time"

	"github.com/revival-net/revival/slsk"
)

// quietGap is how long no frame may arrive before a phase counts the
// previous fan-out as finished.
const quietGap = 500 * time.Millisecond

// roomPhase measures chat fan-out (spec §2 codes 13 and 14): the first
// RoomMembers users join the room and wait for their JoinRoom replies,
// then ChatSenders of them take turns sending Messages lines,
// ChatInterval apart. Each line carries its sequence number and send
// time, so every member's reader records its latency.
func (r *runner) roomPhase(ctx context.Context) error {
	o := &r.opts
	ph := &r.res.Room
	live := r.connected()
	members := live[:min(o.RoomMembers, len(live))]
	senders := members[:min(o.ChatSenders, len(members))]
	*ph = RoomPhase{Members: len(members), Messages: o.Messages, Senders: len(senders), IntervalMs: ms(o.ChatInterval)}
	for _, c := range members {
		c.mu.Lock()
		c.chatLat = make([]int64, o.Messages)
		c.mu.Unlock()
	}

	r.logf("%d members joining room %q", len(members), o.Room)
	joins := newProgress(len(members))
	r.joins.Store(joins)
	cpu := r.meterCPU()
	start := time.Now()
	for _, c := range members {
		if err := c.send(&slsk.JoinRoom{Room: o.Room}, o.Timeout); err != nil {
			r.fail("%s: JoinRoom: %v", c.name, err)
		}
	}
	if !joins.wait(ctx, o.Timeout) {
		r.fail("only %d of %d members got their JoinRoom reply within %v", joins.count(), len(members), o.Timeout)
	}
	ph.JoinSeconds = time.Since(start).Seconds()
	ph.JoinCPU = cpu.stop(nil)
	ph.Joined = joins.count()
	r.joins.Store(nil)
	if err := ctx.Err(); err != nil {
		return err
	}
	// Joins fan UserJoinedRoom out to the members already in (spec §2
	// code 16); let that finish before timing chat.
	if err := r.waitQuiet(ctx, quietGap, o.Timeout); err != nil {
		return err
	}
	d, err := r.syncWith(ctx, senders)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		r.fail("room: senders not ready: %v", err)
	}
	ph.SendersReadyMs = ms(d)

	r.logf("%d chat lines from %d senders, %v apart", o.Messages, len(senders), o.ChatInterval)
	chat := newProgress(o.Messages * len(members))
	r.chat.Store(chat)
	cpu = r.meterCPU()
	start = time.Now()
	for seq := range o.Messages {
		c := senders[seq%len(senders)]
		if err := c.send(&slsk.SayChatroom{Room: o.Room, Message: chatText(seq, r.now())}, o.Timeout); err != nil {
			r.fail("%s: SayChatroom: %v", c.name, err)
		}
		if err := sleep(ctx, time.Until(start.Add(time.Duration(seq+1)*o.ChatInterval))); err != nil {
			return err
		}
	}
	chat.wait(ctx, o.Timeout)
	ph.ChatCPU = cpu.stop(nil)
	r.chat.Store(nil)
	r.collectChat(members)
	return ctx.Err()
}

// collectChat gathers every member's latencies and counts what is missing.
func (r *runner) collectChat(members []*client) {
	ph := &r.res.Room
	ph.Expected = len(members) * r.opts.Messages
	lat := make([]time.Duration, 0, ph.Expected)
	for _, c := range members {
		c.mu.Lock()
		missed := false
		for _, v := range c.chatLat {
			if v == 0 {
				missed = true
				continue
			}
			lat = append(lat, time.Duration(v))
		}
		ph.Duplicates += c.chatDups
		c.mu.Unlock()
		if missed {
			ph.MembersMissing++
		}
	}
	ph.Delivered = len(lat)
	ph.Missing = ph.Expected - ph.Delivered
	ph.Latency = summarize(lat)
	if ph.Missing > 0 {
		r.fail("room: %d of %d line deliveries missing (%d members missed at least one)", ph.Missing, ph.Expected, ph.MembersMissing)
	}
	if ph.Duplicates > 0 {
		r.fail("room: %d lines delivered twice", ph.Duplicates)
	}
}
