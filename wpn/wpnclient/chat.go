package wpnclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/revival-net/revival/wpn"
	"github.com/revival-net/revival/wpn/wpnconn"
)

// ChatOptions configures a chat room connection (wpn.md §6).
type ChatOptions struct {
	// Name is the user's full name, e.g. "alice001_12345" (required).
	Name     string
	LineType uint16
	// Primary is the user's primary, the address others use to PM, whois
	// or browse them (wpn.md §1.4); zero when not on the network.
	Primary wpn.Handle
	Files   uint32
	// Protocol331 makes the client behave as WinMX 3.31: no 0x13ED before
	// the join, text as 0x00C8.
	Protocol331 bool
	// Addr is where to connect instead of the address in the room name
	// (a host behind NAT seen from inside, tests).
	Addr string
	// Software and Version answer the host's 0x9905 (default "Revival"
	// and "1.0").
	Software, Version string
	// PingInterval is how often the client pings the host with 0xFDE8
	// (default 60 s; negative: never).
	PingInterval time.Duration
	// EventBuffer is the capacity of the events channel (default 256).
	// When it is full the reader waits: an application that stops
	// reading events stops reading the room, and the host eventually
	// drops it as a slow consumer.
	EventBuffer int
	// MaxFrame bounds one frame from the host (default 10000, RoboMX's
	// chat buffer, wpn.md §3.1); larger frames are skipped.
	MaxFrame int
}

// ChatClient is a connection to one chat room. Events arrive on Events
// until the connection ends (the last one is ChatClosed); the methods may
// be called from any goroutine.
type ChatClient struct {
	s      *wpnconn.Session
	room   string
	opts   ChatOptions
	events chan ChatEvent
	done   chan struct{}

	mu     sync.Mutex
	name   string
	err    error
	closed bool
}

// ChatEvent is one thing that happened in the room.
type ChatEvent interface{ chatEvent() }

// Chat events, named after what the host sent (wpn.md §6.2).
type (
	// ChatJoined: the host accepted the join (0x0066). It is the first event.
	ChatJoined struct{ Room string }
	// ChatServerInfo: the host speaks 3.53 (0x0068) or named its software
	// (0x9905; empty Name for 0x0068 alone).
	ChatServerInfo struct{ Name, Version string }
	// ChatUserListed: a member already in the room (0x0072, 0x006F).
	ChatUserListed struct{ User wpn.ChatUser }
	// ChatUserJoined: someone joined, this client included (0x0071,
	// 0x006E; 0x0075 with RealIP, for operators).
	ChatUserJoined struct {
		User   wpn.ChatUser
		RealIP netip.Addr
	}
	// ChatUserLeft: someone left (0x0073).
	ChatUserLeft struct{ Peer wpn.ChatPeer }
	// ChatUserRenamed: a name, file count or rank changed (0x0074, 0x0070).
	ChatUserRenamed struct {
		Old wpn.ChatPeer
		New wpn.ChatUser
	}
	// ChatText: a line from a member (0x00C9). Rank is nil when the host
	// sent none.
	ChatText struct {
		Name, Text string
		Rank       *uint8
	}
	// ChatAction: an action from a member (0x00CB with a name).
	ChatAction struct{ Name, Text string }
	// ChatTopic: the room's topic (0x012C).
	ChatTopic struct{ Text string }
	// ChatMOTD: a line of the message of the day (0x0078).
	ChatMOTD struct{ Text string }
	// ChatNotice: a line from the host (0x00D3, 0x00D2 with Formatted, or
	// 0x00CB without a name).
	ChatNotice struct {
		Text      string
		Formatted bool
	}
	// ChatRoomRenamed: the room has a new base name (0x012D).
	ChatRoomRenamed struct{ Base string }
	// ChatRedirect: the host asks the client to join another room (0x0190).
	ChatRedirect struct{ Room string }
	// ChatClosed: the connection ended (kicked, banned, closed by the host
	// or by Close). It is the last event.
	ChatClosed struct{ Err error }
)

func (ChatJoined) chatEvent()      {}
func (ChatServerInfo) chatEvent()  {}
func (ChatUserListed) chatEvent()  {}
func (ChatUserJoined) chatEvent()  {}
func (ChatUserLeft) chatEvent()    {}
func (ChatUserRenamed) chatEvent() {}
func (ChatText) chatEvent()        {}
func (ChatAction) chatEvent()      {}
func (ChatTopic) chatEvent()       {}
func (ChatMOTD) chatEvent()        {}
func (ChatNotice) chatEvent()      {}
func (ChatRoomRenamed) chatEvent() {}
func (ChatRedirect) chatEvent()    {}
func (ChatClosed) chatEvent()      {}

// ErrClosed is ChatClosed's error after Close.
var ErrClosed = errors.New("wpnclient: chat connection closed")

// JoinRefusedError is DialChat's error when the host closed the
// connection instead of accepting the join; Notices are what it said.
type JoinRefusedError struct{ Notices []string }

func (e *JoinRefusedError) Error() string {
	if len(e.Notices) == 0 {
		return "wpnclient: join refused"
	}
	return "wpnclient: join refused: " + strings.Join(e.Notices, " ")
}

// DialChat connects to the room roomName ("<base>_<IIIIIIII><PPPP>",
// wpn.md §1.4, §6.1) at the address in its name (or opts.Addr), joins it
// and returns once the host accepted the join (0x0066). ctx bounds the
// connection and the join.
func DialChat(ctx context.Context, roomName string, opts ChatOptions) (*ChatClient, error) {
	if opts.Name == "" {
		return nil, errors.New("wpnclient: ChatOptions.Name is required")
	}
	addr := opts.Addr
	if addr == "" {
		ra, err := wpn.ParseRoomName(roomName)
		if err != nil {
			return nil, err
		}
		addr = netip.AddrPortFrom(ra.IP, ra.Port).String()
	}
	if opts.Software == "" {
		opts.Software, opts.Version = "Revival", "1.0"
	}
	if opts.PingInterval == 0 {
		opts.PingInterval = 60 * time.Second
	}
	if opts.EventBuffer <= 0 {
		opts.EventBuffer = 256
	}
	if opts.MaxFrame <= 0 {
		opts.MaxFrame = 10000
	}
	s, err := wpnconn.Dial(ctx, addr, wpn.KeyChatClient)
	if err != nil {
		return nil, err
	}
	c := &ChatClient{s: s, room: roomName, opts: opts, name: opts.Name,
		events: make(chan ChatEvent, opts.EventBuffer), done: make(chan struct{})}
	fr := s.Frames(opts.MaxFrame)
	if err := c.join(ctx, fr); err != nil {
		s.Close()
		return nil, err
	}
	go c.read(fr)
	if opts.PingInterval > 0 {
		go c.ping(opts.PingInterval)
	}
	return c, nil
}

// join sends 0x13ED (3.53 clients) and 0x0064, then reads until 0x0066.
func (c *ChatClient) join(ctx context.Context, fr *wpn.FrameReader) error {
	if dl, ok := ctx.Deadline(); ok {
		_ = c.s.Conn.SetReadDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = c.s.Conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	if !c.opts.Protocol331 {
		if err := c.s.Send(wpn.ChatFlag(wpn.ChatHello353, 0x31)); err != nil {
			return err
		}
	}
	err := c.s.Send(&wpn.ChatJoinRequest{Room: c.room, LineType: c.opts.LineType, PrimaryIP: c.opts.Primary.IP,
		PrimaryUDPPort: c.opts.Primary.UDPPort, Files: c.opts.Files, Name: c.opts.Name})
	if err != nil {
		return err
	}
	var notices []string
	for {
		typ, payload, err := fr.Next()
		if errors.Is(err, wpn.ErrFrameTooLarge) {
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("wpnclient: joining %s: %w", c.room, ctx.Err())
			}
			if len(notices) > 0 || errors.Is(err, net.ErrClosed) || isEOF(err) {
				return &JoinRefusedError{Notices: notices}
			}
			return err
		}
		if wpn.Type(typ) == wpn.ChatJoined {
			_ = c.s.Conn.SetReadDeadline(time.Time{})
			c.events <- ChatJoined{Room: c.room}
			return nil
		}
		if ev := c.event(typ, payload); ev != nil {
			if n, ok := ev.(ChatNotice); ok && len(notices) < 10 {
				notices = append(notices, n.Text)
			}
		}
	}
}

// read turns the host's frames into events until the connection ends.
func (c *ChatClient) read(fr *wpn.FrameReader) {
	var err error
	for {
		var typ uint16
		var payload []byte
		typ, payload, err = fr.Next()
		if errors.Is(err, wpn.ErrFrameTooLarge) {
			continue
		}
		if err != nil {
			break
		}
		if ev := c.event(typ, payload); ev != nil && !c.emit(ev) {
			break
		}
	}
	c.mu.Lock()
	if c.closed {
		err = ErrClosed
	}
	c.err = err
	c.mu.Unlock()
	c.s.Close()
	select {
	case c.events <- ChatClosed{Err: err}:
	case <-c.done:
		select { // Close was called: deliver it if there is room
		case c.events <- ChatClosed{Err: err}:
		default:
		}
	}
	close(c.events)
}

func (c *ChatClient) emit(ev ChatEvent) bool {
	select {
	case c.events <- ev:
		return true
	case <-c.done:
		return false
	}
}

// event decodes one frame; frames that are not events (pings) are
// answered here and return nil.
func (c *ChatClient) event(typ uint16, payload []byte) ChatEvent {
	t := wpn.Type(typ)
	switch t {
	case wpn.ChatPing:
		// A host's ping is answered; its pong (1 byte 0x00, RoboServ)
		// is not, or two peers would ping-pong forever.
		if len(payload) != 1 || payload[0] != 0 {
			_ = c.s.Send(wpn.ChatFlag(wpn.ChatPing, 0))
		}
		return nil
	case wpn.ChatProtocol353:
		return ChatServerInfo{}
	}
	p, err := wpn.DecodeChat(typ, payload)
	if err != nil {
		return nil // a malformed frame is skipped, as WinMX clients do
	}
	switch p := p.(type) {
	case *wpn.ChatSoftwareID:
		_ = c.s.Send(&wpn.ChatSoftwareID{Name: c.opts.Software, Version: c.opts.Version})
		return ChatServerInfo{Name: p.Name, Version: p.Version}
	case *wpn.ChatUserEntryInfo:
		return ChatUserListed{User: p.ChatUser}
	case *wpn.ChatUserEntryInfo331:
		return ChatUserListed{User: p.ChatUser}
	case *wpn.ChatUserInfo:
		return ChatUserJoined{User: p.ChatUser}
	case *wpn.ChatUserInfo331:
		return ChatUserJoined{User: p.ChatUser}
	case *wpn.ChatUserJoinedWithIP:
		return ChatUserJoined{User: p.ChatUser, RealIP: p.RealIP}
	case *wpn.ChatLeft:
		return ChatUserLeft{Peer: p.ChatPeer}
	case *wpn.ChatRenamed:
		c.renamed(p.Old.Name, p.New.Name)
		return ChatUserRenamed{Old: p.Old, New: p.New}
	case *wpn.ChatRenamed331:
		c.renamed(p.Old.Name, p.New.Name)
		return ChatUserRenamed{Old: p.Old, New: p.New}
	case *wpn.ChatSaid:
		return ChatText{Name: p.Name, Text: p.Text, Rank: p.Rank}
	case *wpn.ChatEmoted:
		if p.Name == "" {
			return ChatNotice{Text: p.Text}
		}
		return ChatAction{Name: p.Name, Text: p.Text}
	case *wpn.ChatTopicText:
		return ChatTopic{Text: p.Text}
	case *wpn.ChatMOTDLine:
		return ChatMOTD{Text: p.Text}
	case *wpn.ChatNoticeLine:
		return ChatNotice{Text: p.Text}
	case *wpn.ChatLine:
		return ChatNotice{Text: p.Text, Formatted: true}
	case *wpn.ChatRoomRename:
		return ChatRoomRenamed{Base: p.Text}
	case *wpn.ChatRedirectTo:
		return ChatRedirect{Room: p.Text}
	}
	return nil
}

// renamed follows the host's record of this client's own name.
func (c *ChatClient) renamed(old, new string) {
	c.mu.Lock()
	if old == c.name {
		c.name = new
	}
	c.mu.Unlock()
}

// ping keeps the connection alive (wpn.md §6.1 step 8).
func (c *ChatClient) ping(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			if c.s.SendFrame(uint16(wpn.ChatPing), nil) != nil {
				return
			}
		}
	}
}

// Events returns the room's events; the channel is closed after ChatClosed.
func (c *ChatClient) Events() <-chan ChatEvent { return c.events }

// Room returns the room's full name.
func (c *ChatClient) Room() string { return c.room }

// Name returns the client's name as the host last confirmed it.
func (c *ChatClient) Name() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.name
}

// Err returns why the connection ended, or nil while it is open.
func (c *ChatClient) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Say sends a line (0x1450; 0x00C8 for a 3.31 client). The host reads a
// leading "/" as a command: Say("//x") says "/x".
func (c *ChatClient) Say(text string) error {
	if c.opts.Protocol331 {
		return c.s.Send(&wpn.ChatSay331{Text: text})
	}
	return c.s.Send(&wpn.ChatSay{Text: text})
}

// Action sends an action, as "/me TEXT" (0x00CA).
func (c *ChatClient) Action(text string) error { return c.s.Send(&wpn.ChatEmote{Text: text}) }

// Command sends a host command ("kick bob" or "/kick bob").
func (c *ChatClient) Command(cmd string) error {
	if !strings.HasPrefix(cmd, "/") {
		cmd = "/" + cmd
	}
	return c.Say(cmd)
}

// Rename asks the host to change the client's name and file count
// (0x0065); a ChatUserRenamed event confirms it.
func (c *ChatClient) Rename(name string, files uint32) error {
	return c.s.Send(&wpn.ChatRenameRequest{LineType: c.opts.LineType, PrimaryIP: c.opts.Primary.IP,
		PrimaryUDPPort: c.opts.Primary.UDPPort, Files: files, Name: name})
}

// Close leaves the room.
func (c *ChatClient) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	close(c.done)
	return c.s.Close()
}

func isEOF(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) }
