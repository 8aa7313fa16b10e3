package wpn

// Cipher is one direction of the WPN TCP stream cipher (wpn.md §2.4,
// EncryptMXTCP/DecryptMXTCP): a 32-bit state that runs over every byte of
// every frame, headers included, for the life of the connection. A
// connection has two, one per direction, started from the keys
// SessionKeys returns. Splitting a buffer over several calls gives the
// same bytes as one call. A Cipher is not safe for concurrent use; each
// direction belongs to its reader or its writer.
type Cipher struct {
	k0, k1, k2, k3 byte
}

// NewCipher returns a cipher started from key.
func NewCipher(key uint32) *Cipher {
	return &Cipher{k0: byte(key), k1: byte(key >> 8), k2: byte(key >> 16), k3: byte(key >> 24)}
}

// State returns the current 32-bit state (k0 least significant), as the
// reference returns it after each call.
func (c *Cipher) State() uint32 {
	return uint32(c.k0) | uint32(c.k1)<<8 | uint32(c.k2)<<16 | uint32(c.k3)<<24
}

// Encrypt encrypts src into dst (which may be src itself; it must be at
// least as long) and advances the state.
//
// Each ciphertext byte feeds the next state through T4, so encryption is
// one long dependency chain: table lookup, state update, next lookup. The
// loop keeps the state in registers and picks the case with a switch on
// k2&3, which the compiler turns into a jump table.
func (c *Cipher) Encrypt(dst, src []byte) {
	dst = dst[:len(src)]
	k0, k1, k2, k3 := c.k0, c.k1, c.k2, c.k3
	for i, p := range src {
		var x byte
		switch k2 & 3 {
		case 0:
			x = k1 ^ tcpT3[p]
		case 1:
			x = k1 ^ tcpT7[p]
		case 2:
			x = tcpT1[k0^p]
		default:
			x = tcpT7[k3^p]
		}
		dst[i] = x
		k0 += k1
		k1 ^= k3
		k2 += tcpT4[x]
		k3 ^= k2
		k1++
		k2++
		k3++
	}
	c.k0, c.k1, c.k2, c.k3 = k0, k1, k2, k3
}

// Decrypt decrypts src into dst (which may be src itself; it must be at
// least as long) and advances the state.
//
// Unlike encryption, the state update depends only on ciphertext, which
// is all known in advance: the chain from one byte to the next is a few
// register operations, and the table lookup that yields the plaintext is
// off that chain, so the CPU overlaps it with the next bytes.
func (c *Cipher) Decrypt(dst, src []byte) {
	dst = dst[:len(src)]
	k0, k1, k2, k3 := c.k0, c.k1, c.k2, c.k3
	for i, x := range src {
		var p byte
		switch k2 & 3 {
		case 0:
			p = tcpT2[k1^x]
		case 1:
			p = tcpT6[k1^x]
		case 2:
			p = k0 ^ tcpT0[x]
		default:
			p = k3 ^ tcpT6[x]
		}
		dst[i] = p
		k0 += k1
		k1 ^= k3
		k2 += tcpT4[x]
		k3 ^= k2
		k1++
		k2++
		k3++
	}
	c.k0, c.k1, c.k2, c.k3 = k0, k1, k2, k3
}
