package slsk

import "github.com/revival-net/revival/internal/wire"

// Room tickers and the public-room feed (spec §2, codes 113-116 and
// 150-152).

// RoomTicker is one member's ticker line (spec §2, code 113).
type RoomTicker struct {
	Username string
	Ticker   string
}

// RoomTickers is server code 113, server to client (spec §2): every
// ticker of a room, sent to a joiner right after JoinRoomReply.
type RoomTickers struct {
	Room    string
	Tickers []RoomTicker
}

func (*RoomTickers) ServerCode() ServerCode { return CodeRoomTickers }

func (m *RoomTickers) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.Uint32(uint32(len(m.Tickers)))
	for _, t := range m.Tickers {
		b.String(t.Username)
		b.String(t.Ticker)
	}
}

func (m *RoomTickers) Decode(r *wire.Reader) {
	m.Room = r.String()
	n := r.Count(2 * minString)
	if n > 0 {
		m.Tickers = make([]RoomTicker, n)
	}
	for i := range m.Tickers {
		m.Tickers[i].Username = r.String()
		m.Tickers[i].Ticker = r.String()
	}
}

// RoomTickerAdded is server code 114, server to client (spec §2).
type RoomTickerAdded struct {
	Room     string
	Username string
	Ticker   string
}

func (*RoomTickerAdded) ServerCode() ServerCode { return CodeRoomTickerAdded }

func (m *RoomTickerAdded) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.String(m.Username)
	b.String(m.Ticker)
}

func (m *RoomTickerAdded) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Username = r.String()
	m.Ticker = r.String()
}

// RoomTickerRemoved is server code 115, server to client (spec §2).
type RoomTickerRemoved struct {
	Room     string
	Username string
}

func (*RoomTickerRemoved) ServerCode() ServerCode { return CodeRoomTickerRemoved }

func (m *RoomTickerRemoved) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.String(m.Username)
}

func (m *RoomTickerRemoved) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Username = r.String()
}

// SetRoomTicker is server code 116, client to server (spec §2): set (or,
// when empty, clear) the caller's ticker in a joined room.
type SetRoomTicker struct {
	Room   string
	Ticker string
}

func (*SetRoomTicker) ServerCode() ServerCode { return CodeSetRoomTicker }

func (m *SetRoomTicker) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.String(m.Ticker)
}

func (m *SetRoomTicker) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Ticker = r.String()
}

// JoinGlobalRoom is server code 150, client to server (spec §2): subscribe
// to the public-room feed. Empty payload.
type JoinGlobalRoom struct{}

func (*JoinGlobalRoom) ServerCode() ServerCode { return CodeJoinGlobalRoom }
func (*JoinGlobalRoom) Encode(*wire.Builder)   {}
func (*JoinGlobalRoom) Decode(*wire.Reader)    {}

// LeaveGlobalRoom is server code 151, client to server (spec §2):
// unsubscribe from the public-room feed. Empty payload.
type LeaveGlobalRoom struct{}

func (*LeaveGlobalRoom) ServerCode() ServerCode { return CodeLeaveGlobalRoom }
func (*LeaveGlobalRoom) Encode(*wire.Builder)   {}
func (*LeaveGlobalRoom) Decode(*wire.Reader)    {}

// GlobalRoomMessage is server code 152, server to client (spec §2): a
// public-room line copied to feed subscribers.
type GlobalRoomMessage struct {
	Room     string
	Username string
	Message  string
}

func (*GlobalRoomMessage) ServerCode() ServerCode { return CodeGlobalRoomMessage }

func (m *GlobalRoomMessage) Encode(b *wire.Builder) {
	b.String(m.Room)
	b.String(m.Username)
	b.String(m.Message)
}

func (m *GlobalRoomMessage) Decode(r *wire.Reader) {
	m.Room = r.String()
	m.Username = r.String()
	m.Message = r.String()
}

func init() {
	registerReply(func() ServerMessage { return new(RoomTickers) })
	registerReply(func() ServerMessage { return new(RoomTickerAdded) })
	registerReply(func() ServerMessage { return new(RoomTickerRemoved) })
	registerRequest(func() ServerMessage { return new(SetRoomTicker) })
	registerRequest(func() ServerMessage { return new(JoinGlobalRoom) })
	registerRequest(func() ServerMessage { return new(LeaveGlobalRoom) })
	registerReply(func() ServerMessage { return new(GlobalRoomMessage) })
}
