package slsk

import "testing"

func BenchmarkEncodeServer(b *testing.B) {
	b.Run("SayChatroomReply", func(b *testing.B) {
		m := &SayChatroomReply{Room: "testroom", Username: "testuser", Message: "hello from A, a line of ordinary chat length"}
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		for b.Loop() {
			buf = AppendServerFrame(buf[:0], m)
		}
	})
}

func BenchmarkDecodeServer(b *testing.B) {
	b.Run("Login", func(b *testing.B) {
		body := cat(u32(1), str("testuser"), str("testpass"), u32(160), str("e6f4c2570d30ef3abe2cc30f2b80f01d"), u32(3)) // Nicotine+ Login (capture)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeServerRequest(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
