package wpn

import (
	"errors"
	"fmt"
	"io"
)

// KeyID is the role a key block announces (wpn.md §1.2). It is the only
// thing that tells a primary whether a connection is a secondary, another
// primary or a chat client.
type KeyID byte

// Key-block IDs [C] (Nushi's MXSock.h).
const (
	KeyPrimaryClient   KeyID = 0x50 // initiator of a primary↔primary link
	KeyPrimaryServer   KeyID = 0x51 // responder of a primary↔primary link
	KeySecondaryClient KeyID = 0x52 // a secondary connecting to its primary
	KeySecondaryServer KeyID = 0x53 // the primary answering a secondary
	KeyCache           KeyID = 0x54 // a peer cache's node list
	KeyChatClient      KeyID = 0x57 // a chat client joining a room
	KeyChatServer      KeyID = 0x58 // the room host answering a chat client
)

func (id KeyID) String() string {
	switch id {
	case KeyPrimaryClient:
		return "primary-client"
	case KeyPrimaryServer:
		return "primary-server"
	case KeySecondaryClient:
		return "secondary-client"
	case KeySecondaryServer:
		return "secondary-server"
	case KeyCache:
		return "cache"
	case KeyChatClient:
		return "chat-client"
	case KeyChatServer:
		return "chat-server"
	}
	return fmt.Sprintf("KeyID(0x%02X)", byte(id))
}

// Responder returns the ID the responder answers an initiator's ID with
// (0x50→0x51, 0x52→0x53, 0x57→0x58), or false for any other ID.
func (id KeyID) Responder() (KeyID, bool) {
	switch id {
	case KeyPrimaryClient, KeySecondaryClient, KeyChatClient:
		return id + 1, true
	}
	return 0, false
}

// KeyBlockSize is the size of a key block on the wire.
const KeyBlockSize = 16

// KeyBlock is a 16-byte key block as sent on the wire (mixed). It hides a
// one-byte ID and carries the session keys (wpn.md §2.1, §2.2).
type KeyBlock [KeyBlockSize]byte

// ErrBadKeyBlock is returned for a block whose check bytes do not match,
// masked or not.
var ErrBadKeyBlock = errors.New("wpn: invalid key block")

// MakeKeyBlock builds the block for id from 16 seed bytes (wpn.md §2.1
// CreateCryptKeyID): three check bytes overwrite seed bytes 4, 9 and 11,
// then 105 forward mixing steps. It is deterministic; NewKeyBlock draws the
// seed at random.
func MakeKeyBlock(id KeyID, seed [KeyBlockSize]byte) KeyBlock {
	b := seed
	b[4] = b[15] ^ b[13] ^ b[5] ^ b[2]
	b[9] = (b[14] ^ b[8] ^ b[1]) + byte(id)
	b[11] = (b[12] ^ b[10] ^ b[7] ^ b[6] ^ b[3] ^ b[0]) + byte(id)>>7
	for i := range 105 {
		k := byte(0x57)
		if i != 0 {
			k = b[(i-1)%16]
		}
		if i%5 != 0 {
			b[i%16] += k
		} else {
			b[i%16] ^= k
		}
	}
	return KeyBlock(b)
}

// NewKeyBlock returns a block for id with a seed read from rand
// (crypto/rand.Reader in servers; the reference uses rand() % 255).
func NewKeyBlock(id KeyID, rand io.Reader) (KeyBlock, error) {
	var seed [KeyBlockSize]byte
	if _, err := io.ReadFull(rand, seed[:]); err != nil {
		return KeyBlock{}, fmt.Errorf("wpn: key block seed: %w", err)
	}
	return MakeKeyBlock(id, seed), nil
}

// ID unmixes a copy of the block and returns the ID it carries, or false
// when the check bytes do not match (wpn.md §2.1 GetCryptKeyID).
func (b KeyBlock) ID() (KeyID, bool) {
	u := b
	for i := 104; i >= 0; i-- {
		k := byte(0x57)
		if i != 0 {
			k = u[(i-1)%16]
		}
		if i%5 != 0 {
			u[i%16] -= k
		} else {
			u[i%16] ^= k
		}
	}
	id := u[9] - (u[14] ^ u[8] ^ u[1])
	if u[4] != u[15]^u[13]^u[5]^u[2] {
		return 0, false
	}
	if u[12]^u[10]^u[7]^u[6]^u[3]^u[0] != u[11]-id>>7 {
		return 0, false
	}
	return KeyID(id), true
}

// Masked returns the block with the "KM mangle" XOR mask applied (wpn.md
// §2.3). The mask is its own inverse: Masked also unmasks.
func (b KeyBlock) Masked() KeyBlock {
	mask := [5]byte{0xFF, 0xF0, 0x0F, 0x77, 0x77}
	for i := range 15 {
		b[i] ^= mask[i%5]
	}
	return b
}

// ReadKeyBlock validates a received block as a client should: unmasked
// first, then masked (wpn.md §2.3, as WPCC Mobile does). It returns the
// ID and the block the session keys are to be taken from (the unmasked
// wire block). Servers send unmasked blocks.
func ReadKeyBlock(b KeyBlock) (KeyID, KeyBlock, error) {
	if id, ok := b.ID(); ok {
		return id, b, nil
	}
	u := b.Masked()
	if id, ok := u.ID(); ok {
		return id, u, nil
	}
	return 0, KeyBlock{}, ErrBadKeyBlock
}

// keyParams are the four block indexes and the delta of one session key.
type keyParams struct {
	i0, i1, i2, i3 int
	d              byte
	plus           bool
}

func (p keyParams) key(b *KeyBlock) uint32 {
	k0 := b[p.i0] - p.d
	if p.plus {
		k0 = b[p.i0] + p.d
	}
	return uint32(k0) | uint32(b[p.i1])<<8 | uint32(b[p.i2])<<16 | uint32(b[p.i3])<<24
}

// Keys returns the two session keys A and B of a block whose ID is id
// (wpn.md §2.2). Cache blocks (0x54) and unknown IDs carry no keys.
func (b KeyBlock) Keys(id KeyID) (a, bk uint32, ok bool) {
	var pa, pb keyParams
	switch id {
	case KeyPrimaryClient, KeyPrimaryServer:
		pa = keyParams{2, 5, 9, 11, 0x68, false}
		pb = keyParams{4, 12, 10, 7, 0x67, false}
	case KeySecondaryClient, KeySecondaryServer:
		pa = keyParams{7, 3, 9, 5, 0x54, true}
		pb = keyParams{2, 8, 13, 6, 0x55, true}
	case KeyChatClient, KeyChatServer:
		pa = keyParams{7, 3, 9, 5, 0x22, false}
		pb = keyParams{2, 8, 13, 6, 0x7A, true}
	default:
		return 0, 0, false
	}
	return pa.key(&b), pb.key(&b), true
}

// SessionKeys returns the two directions' keys from the responder's block
// (the only block keys come from, wpn.md §2.2): initiator→responder
// traffic uses key B, responder→initiator traffic key A. The initiator's
// block is only checked for its ID.
func SessionKeys(responder KeyBlock) (toResponder, toInitiator uint32, err error) {
	id, blk, err := ReadKeyBlock(responder)
	if err != nil {
		return 0, 0, err
	}
	switch id {
	case KeyPrimaryServer, KeySecondaryServer, KeyChatServer:
	default:
		return 0, 0, fmt.Errorf("wpn: %v is not a responder key block", id)
	}
	a, b, _ := blk.Keys(id)
	return b, a, nil
}
