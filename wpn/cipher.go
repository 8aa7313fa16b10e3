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
// one long dependency chain; what makes it fast is keeping everything
// else off that chain. The case (k2&3) changes at random from byte to
// byte, so a switch mispredicts about every other byte: instead all four
// candidates are computed and the right one picked with masks, no branch.
// The candidates' T4 values come from tables indexed like the candidates
// themselves (encT4x), so the next k2 does not wait for a second lookup on
// the ciphertext, and cases 0–2 depend only on k0 and k1, which lag a
// byte behind the chain (wpn.md §2.4 updates k0 and k1 before k2).
func (c *Cipher) Encrypt(dst, src []byte) {
	dst = dst[:len(src)]
	k0, k1, k2, k3 := c.k0, c.k1, c.k2, c.k3
	for i, p := range src {
		m0 := -(k2 & 1)      // 0xFF in cases 1 and 3
		m1 := -(k2 >> 1 & 1) // 0xFF in cases 2 and 3
		a := tcpT3[p]
		b := tcpT7[p]
		c0, c1 := k1^a, k1^b
		i2, i3 := k0^p, k3^p
		e2, e3 := encT1[i2], encT7[i3]
		c2, c3 := byte(e2), byte(e3)
		t0, t1 := tcpT4[c0], tcpT4[c1]
		t2, t3 := byte(e2>>8), byte(e3>>8)
		lo, hi := c0^(c0^c1)&m0, c2^(c2^c3)&m0
		tlo, thi := t0^(t0^t1)&m0, t2^(t2^t3)&m0
		dst[i] = lo ^ (lo^hi)&m1
		k0 += k1
		k1 ^= k3
		k2 += tlo ^ (tlo^thi)&m1
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

// encT1 and encT7 hold, for each index, the ciphertext byte of cases 2
// and 3 (T1[i], T7[i]) in the low byte and its T4 value in the high byte,
// so one lookup gives both.
var encT1, encT7 = func() (t1, t7 [256]uint16) {
	for i := range 256 {
		t1[i] = uint16(tcpT1[i]) | uint16(tcpT4[tcpT1[i]])<<8
		t7[i] = uint16(tcpT7[i]) | uint16(tcpT4[tcpT7[i]])<<8
	}
	return
}()
