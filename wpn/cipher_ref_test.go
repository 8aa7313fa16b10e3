package wpn

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// refCipher is the TCP stream cipher written straight from wpn.md §2.4,
// one byte and one case at a time: the fast Cipher must match it.
type refCipher struct{ k0, k1, k2, k3 byte }

func (c *refCipher) step(x byte) {
	c.k0 += c.k1
	c.k1 ^= c.k3
	c.k2 += tcpT4[x]
	c.k3 ^= c.k2
	c.k1++
	c.k2++
	c.k3++
}

func (c *refCipher) encrypt(b []byte) {
	for i, p := range b {
		var x byte
		switch c.k2 & 3 {
		case 0:
			x = c.k1 ^ tcpT3[p]
		case 1:
			x = c.k1 ^ tcpT7[p]
		case 2:
			x = tcpT1[c.k0^p]
		case 3:
			x = tcpT7[c.k3^p]
		}
		b[i] = x
		c.step(x)
	}
}

func (c *refCipher) decrypt(b []byte) {
	for i, x := range b {
		var p byte
		switch c.k2 & 3 {
		case 0:
			p = tcpT2[c.k1^x]
		case 1:
			p = tcpT6[c.k1^x]
		case 2:
			p = c.k0 ^ tcpT0[x]
		case 3:
			p = c.k3 ^ tcpT6[x]
		}
		b[i] = p
		c.step(x)
	}
}

func (c *refCipher) state() uint32 {
	return uint32(c.k0) | uint32(c.k1)<<8 | uint32(c.k2)<<16 | uint32(c.k3)<<24
}

// The fast cipher gives the reference's bytes and state for random keys,
// lengths 0–4096 and calls split at random points.
func TestCipherMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		key := rng.Uint32()
		n := rng.IntN(4097)
		plain := make([]byte, n)
		for i := range plain {
			plain[i] = byte(rng.Uint32())
		}
		want := bytes.Clone(plain)
		ref := &refCipher{byte(key), byte(key >> 8), byte(key >> 16), byte(key >> 24)}
		ref.encrypt(want)

		got := make([]byte, n)
		enc := NewCipher(key)
		for off := 0; off < n; {
			step := min(n-off, 1+rng.IntN(300))
			enc.Encrypt(got[off:off+step], plain[off:off+step])
			off += step
		}
		if !bytes.Equal(got, want) || enc.State() != ref.state() {
			t.Fatalf("key %08x n %d: encryption differs from the reference", key, n)
		}

		dref := &refCipher{byte(key), byte(key >> 8), byte(key >> 16), byte(key >> 24)}
		back := bytes.Clone(want)
		dref.decrypt(back)
		dec := NewCipher(key)
		out := bytes.Clone(want)
		for off := 0; off < n; {
			step := min(n-off, 1+rng.IntN(300))
			dec.Decrypt(out[off:off+step], out[off:off+step])
			off += step
		}
		if !bytes.Equal(out, plain) || !bytes.Equal(back, plain) || dec.State() != dref.state() {
			t.Fatalf("key %08x n %d: decryption differs from the reference", key, n)
		}
	}
}
