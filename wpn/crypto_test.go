package wpn

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// unhex decodes hex with spaces allowed, as wpn.md §2.9 writes it.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func TestTablesMatchSpec(t *testing.T) {
	tables := map[string][]byte{
		"tcpT0": tcpT0[:], "tcpT1": tcpT1[:], "tcpT2": tcpT2[:], "tcpT3": tcpT3[:], "tcpT4": tcpT4[:],
		"tcpT6": tcpT6[:], "tcpT7": tcpT7[:], "udpU0": udpU0[:], "udpU1": udpU1[:], "udpU2": udpU2[:], "udpU3": udpU3[:],
	}
	for c := range fc {
		tables[fmt.Sprintf("fc%d", c)] = fc[c][:]
	}
	for name, want := range specSHA256 {
		sum := sha256.Sum256(tables[name])
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: SHA-256 %s, spec says %s", name, got, want)
		}
	}
	// The inverse relations of Appendix B.
	for _, inv := range []struct {
		name string
		f, g *[256]byte
	}{{"T2=T3⁻¹", &tcpT2, &tcpT3}, {"T0=T1⁻¹", &tcpT0, &tcpT1}, {"T6=T7⁻¹", &tcpT6, &tcpT7}, {"U2=U3⁻¹", &udpU2, &udpU3}} {
		for x := range 256 {
			if inv.f[inv.g[x]] != byte(x) {
				t.Fatalf("%s fails at %d", inv.name, x)
			}
		}
	}
}

// TV1: the published wpnp-crypto vector.
func TestTV1PublishedBlock(t *testing.T) {
	b := KeyBlock(unhex(t, "B8 9D 3B 49 71 D6 D1 35 07 E7 20 F6 A0 49 34 AF"))
	id, ok := b.ID()
	if !ok || id != KeySecondaryClient {
		t.Fatalf("ID = %v, %v; want 0x52", id, ok)
	}
	a, bk, _ := b.Keys(id)
	if a != 0xD6E74989 || bk != 0xD1490790 {
		t.Fatalf("keys A=%#08x B=%#08x, want 0xD6E74989 0xD1490790", a, bk)
	}
}

// TV2: blocks made with seed 00 01 … 0F, and their keys.
func TestTV2KeyBlocks(t *testing.T) {
	var seed [16]byte
	for i := range seed {
		seed[i] = byte(i)
	}
	tests := []struct {
		id    KeyID
		block string
		a, b  uint32
	}{
		{KeyPrimaryClient, "7D6B78ACB3AD99E6B21CADC72741264F", 0xC71CAD10, 0xE6AD274C},
		{KeyPrimaryServer, "CEAF5722DB7F8B680DF8AEC58F6956F9", 0xC5F87FEF, 0x68AE8F74},
		{KeySecondaryClient, "FF3B126023E9A9A2A074F7F7B325161B", 0xE97460F6, 0xA925A067},
		{KeySecondaryServer, "7C47496ABF7B1368DF88E4C9030D02A1", 0x7B886ABC, 0x130DDF9E},
		{KeyCache, "3153E4ECDB1539CE0EDCF9BF6FA9AE17", 0, 0},
		{KeyChatClient, "18173DBAF77353B84B189881DB358A21", 0x7318BA96, 0x53354BB7},
		{KeyChatServer, "554B206CC3AD39D66A0C8567B71176BF", 0xAD0C6CB4, 0x39116A9A},
	}
	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			b := MakeKeyBlock(tt.id, seed)
			if want := unhex(t, tt.block); !bytes.Equal(b[:], want) {
				t.Fatalf("block % X, want % X", b[:], want)
			}
			if id, ok := b.ID(); !ok || id != tt.id {
				t.Fatalf("ID() = %v, %v", id, ok)
			}
			a, bk, ok := b.Keys(tt.id)
			if tt.id == KeyCache {
				if ok {
					t.Fatal("a cache block has no keys")
				}
				return
			}
			if a != tt.a || bk != tt.b {
				t.Fatalf("A=%#08x B=%#08x, want %#08x %#08x", a, bk, tt.a, tt.b)
			}
		})
	}
}

// TV3: the masked ("KM mangle") 0x53 block.
func TestTV3MaskedBlock(t *testing.T) {
	masked := KeyBlock(unhex(t, "83B7461DC884E367A8FF1B390C7A75A1"))
	plain := KeyBlock(unhex(t, "7C47496ABF7B1368DF88E4C9030D02A1"))
	if masked.Masked() != plain || plain.Masked() != masked {
		t.Fatal("the mask is not its own inverse on TV3")
	}
	if _, ok := masked.ID(); ok {
		t.Fatal("the masked block validates as-is")
	}
	id, blk, err := ReadKeyBlock(masked)
	if err != nil || id != KeySecondaryServer || blk != plain {
		t.Fatalf("ReadKeyBlock = %v, % X, %v", id, blk[:], err)
	}
	if _, _, err := ReadKeyBlock(KeyBlock{}); err == nil {
		t.Fatal("an all-zero block validated")
	}
}

// cipherCase is one encryption of wpn.md §2.9 with the state it leaves.
type cipherCase struct {
	plain, cipher string
	state         uint32 // 0: not given by the spec
}

func runCipher(t *testing.T, key uint32, frames []cipherCase) {
	t.Helper()
	enc, dec := NewCipher(key), NewCipher(key)
	for i, f := range frames {
		p, c := unhex(t, f.plain), unhex(t, f.cipher)
		got := make([]byte, len(p))
		enc.Encrypt(got, p)
		if !bytes.Equal(got, c) {
			t.Fatalf("frame %d: encrypt = % X, want % X", i, got, c)
		}
		if f.state != 0 && enc.State() != f.state {
			t.Fatalf("frame %d: state %#08x, want %#08x", i, enc.State(), f.state)
		}
		dec.Decrypt(got, got) // in place
		if !bytes.Equal(got, p) {
			t.Fatalf("frame %d: decrypt = % X, want % X", i, got, p)
		}
		if dec.State() != enc.State() {
			t.Fatalf("frame %d: decrypt state %#08x, encrypt state %#08x", i, dec.State(), enc.State())
		}
	}
}

// TV4: a secondary's login on the 0x53 block of TV2.
func TestTV4SecondaryLogin(t *testing.T) {
	responder := KeyBlock(unhex(t, "7C47496ABF7B1368DF88E4C9030D02A1"))
	up, down, err := SessionKeys(responder)
	if err != nil || up != 0x130DDF9E || down != 0x7B886ABC {
		t.Fatalf("SessionKeys = %#08x, %#08x, %v", up, down, err)
	}
	runCipher(t, up, []cipherCase{
		{"E9 03 0F 00 47 75 6D 64 72 6F 70 36 30 39 00 08 00 4A 09",
			"01 87 C3 0A E2 61 3C EB AA 2D 61 BB CC 95 21 B0 76 B7 B3", 0x4E5EFD6F},
		{"84 03 15 00" + hex.EncodeToString([]byte("9006 6 of 6 available")),
			"3F 6B 65 41 EF B0 A3 17 4E 39 A2 80 81 A9 2C C8 B6 71 4C FE 5E 60 81 91 09", 0x004AE330},
	})
	runCipher(t, down, []cipherCase{{"60 04 02 00 16 53", "FF B2 31 3A CB 85", 0xCD864C02}})
}

// TV5: a chat client joining a room on the 0x58 block of TV2.
func TestTV5ChatJoin(t *testing.T) {
	up, down, err := SessionKeys(KeyBlock(unhex(t, "554B206CC3AD39D66A0C8567B71176BF")))
	if err != nil || up != 0x39116A9A || down != 0xAD0C6CB4 {
		t.Fatalf("SessionKeys = %#08x, %#08x, %v", up, down, err)
	}
	runCipher(t, up, []cipherCase{{
		"ED130100316400320054657374205" + "26F6F6D5F3031303030303746314132420007007F00000171182A000000416C6963653132335F303433323100",
		"B1131CB8DA85A582443C1B581883C365576D5C81392FFF42C18C4283AE60B907BB837F6E763C4F49EF461D33558356892AFDE8D22C1B3C971F03B5", 0}})
	runCipher(t, down, []cipherCase{{
		"66 00 01 00 31 68 00 01 00 31 2C 01 08 00" + hex.EncodeToString([]byte("Welcome\x00")),
		"2CBA4BCED93A7902227A1C2F0B31B2A0D9AEC6B63385", 0}})
}

// TV6: an arbitrary key; one call or two give the same bytes.
func TestTV6SplitCalls(t *testing.T) {
	p := unhex(t, "E9030F0047756D64726F703630390008004A09")
	want := unhex(t, "E396866E7C1023F4889FDDC89B7A8BF59E47CA")
	runCipher(t, 0x12345678, []cipherCase{{hex.EncodeToString(p), hex.EncodeToString(want), 0x3FD4790F}})
	c := NewCipher(0x12345678)
	got := make([]byte, len(p))
	c.Encrypt(got[:4], p[:4])
	c.Encrypt(got[4:], p[4:])
	if !bytes.Equal(got, want) || c.State() != 0x3FD4790F {
		t.Fatalf("two calls: % X state %#08x", got, c.State())
	}
}

// TV7: the UDP scrambler on a 45-byte datagram.
func TestTV7UDP(t *testing.T) {
	p := append(unhex(t, "0102030447AABBCCDD050000002800000000002B1A"), "Room_7F0000011A2B\x00Topic\x00"...)
	want := unhex(t, "C3C07D032ECDB31A64A4E3496BAB165FB900452F0FB2B7AF226301E794533ECD484AE58B42BDE5395C11C547E0")
	b := bytes.Clone(p)
	EncryptUDP(b)
	if !bytes.Equal(b, want) {
		t.Fatalf("EncryptUDP = % X\nwant          % X", b, want)
	}
	DecryptUDP(b)
	if !bytes.Equal(b, p) {
		t.Fatalf("DecryptUDP = % X, want % X", b, p)
	}
	// Every length from 2 round-trips; a 1-byte datagram cannot (its only
	// byte is also its own neighbour, so the step is not invertible).
	for n := 2; n < 40; n++ {
		d := bytes.Repeat([]byte{byte(n)}, n)
		e := bytes.Clone(d)
		EncryptUDP(e)
		DecryptUDP(e)
		if !bytes.Equal(d, e) {
			t.Fatalf("length %d does not round-trip", n)
		}
	}
}

var tv8Header = [12]byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC}

// TV8: a FrontCode list of ten local primaries.
func TestTV8FrontCode(t *testing.T) {
	var entries [FrontCodeEntries]NodeEntry
	for i := range entries {
		entries[i] = NodeEntry{
			IP:      netip.AddrFrom4([4]byte{0x7F, 0, 0, byte(1 + i)}),
			UDPPort: uint16(6257 + i), TCPPort: uint16(6699 + i),
			FreePrimary: 3, FreeSecondary: uint8(10 - i),
		}
	}
	want := unhex(t, "112233445566778899AABBCC90223345247E5CA29AB4BBCC6BE4ED6A797D3A1DB4EA07812263E72D711DB23D9E67C8D0BFA46359FB3F7A11BBEA106D3759A952D10F3B627A652BC80CBC8C02B42DDA02BEBFF22B6F4AF9EF458B968C1F213F9F97284117599115C1F6C3657B5A0CABDB0C53FBEBC403F30A30DF75A1A4C13A69702F1691")
	got := EncryptFrontCode(tv8Header, entries)
	if !bytes.Equal(got[:], want) {
		t.Fatalf("EncryptFrontCode = %X\nwant %X", got[:], want)
	}
	if FrontCodeAmbiguous(got) {
		t.Fatal("TV8 is not ambiguous")
	}
	if dec := DecryptFrontCode(got); dec != entries {
		t.Fatalf("DecryptFrontCode = %+v", dec)
	}
	if dec := decryptFrontCode(got, true); dec != entries {
		t.Fatalf("Nushi's table decodes TV8 differently: %+v", dec)
	}
}

// TV9: a list the two FC table variants decode differently.
func TestTV9FrontCodeDiscrepancy(t *testing.T) {
	var entries [FrontCodeEntries]NodeEntry
	for i := range entries {
		ip := [4]byte{10, 0, 0, byte(1 + i)}
		if i == 0 {
			ip = [4]byte{239, 0, 0, 1}
		}
		entries[i] = NodeEntry{IP: netip.AddrFrom4(ip), UDPPort: 6257, TCPPort: 6699, FreePrimary: 2, FreeSecondary: 5}
	}
	want := unhex(t, "112233445566778899AABBCC00223345247E5CA29BAFBBCCD4E4ED6A7A7D3D1D1B7A07813063E72D871DCC3D92D4C8D065A46359213FC011C884106D7A59A952770F6A62F9E42BC837BC8C02B12D4A02EDF2F22B974AF9EFC28B3C8C29AD3F9FE5284117919101C1E98C657BE90CABDB02533BEBC3C3F30A84DF75A151C1C169D3061691")
	got := EncryptFrontCode(tv8Header, entries)
	if !bytes.Equal(got[:], want) {
		t.Fatalf("EncryptFrontCode = %X\nwant %X", got[:], want)
	}
	if !FrontCodeAmbiguous(got) {
		t.Fatal("TV9 must be reported ambiguous")
	}
	if ip := DecryptFrontCode(got)[1].IP; ip != netip.MustParseAddr("10.0.0.2") {
		t.Fatalf("entry 1 under 0xCA = %v, want 10.0.0.2", ip)
	}
	if ip := decryptFrontCode(got, true)[1].IP; ip != netip.MustParseAddr("13.0.0.2") {
		t.Fatalf("entry 1 under Nushi's 0xC7 = %v, want 13.0.0.2", ip)
	}
}
