package wpn

import "testing"

func benchCipher(b *testing.B, n int, f func(c *Cipher, dst, src []byte)) {
	src := make([]byte, n)
	for i := range src {
		src[i] = byte(i * 7)
	}
	dst := make([]byte, n)
	c := NewCipher(0x12345678)
	b.SetBytes(int64(n))
	for b.Loop() {
		f(c, dst, src)
	}
}

func BenchmarkEncrypt64K(b *testing.B) { benchCipher(b, 64<<10, (*Cipher).Encrypt) }
func BenchmarkDecrypt64K(b *testing.B) { benchCipher(b, 64<<10, (*Cipher).Decrypt) }
func BenchmarkEncrypt64(b *testing.B)  { benchCipher(b, 64, (*Cipher).Encrypt) }
func BenchmarkDecrypt64(b *testing.B)  { benchCipher(b, 64, (*Cipher).Decrypt) }

func BenchmarkUDP512(b *testing.B) {
	d := make([]byte, 512)
	b.SetBytes(512)
	for b.Loop() {
		EncryptUDP(d)
	}
}
