package wpn

// EncryptUDP scrambles a whole datagram in place (wpn.md §2.5,
// EncryptMXUDP). It is keyless; every byte depends on every other, which
// is why WPN datagrams start with a 4-byte random seed.
func EncryptUDP(b []byte) {
	n := len(b)
	if n == 0 {
		return
	}
	// c runs 1 … 17n−1; i = c mod n and j = (c−1) mod n are kept as
	// counters instead of two divisions per step.
	i, j := 1%n, 0
	for c := 1; c < 17*n; c++ {
		b[i] = udpU3[b[i]] ^ udpU1[udpU0[byte(c-1)]^b[j]]
		j = i
		if i++; i == n {
			i = 0
		}
	}
}

// DecryptUDP undoes EncryptUDP in place (wpn.md §2.5, DecryptMXUDP).
// Nushi's decrypt leaves datagrams of 5 bytes or fewer alone; no real
// datagram is that short (4 seed bytes and a type), and we decrypt them
// anyway so that DecryptUDP inverts EncryptUDP for every length from 2
// (a 1-byte datagram is its own neighbour, and that step is not invertible).
func DecryptUDP(b []byte) {
	n := len(b)
	if n == 0 {
		return
	}
	last := 17*n - 1
	i, j := last%n, (last-1)%n
	for c := last; c >= 1; c-- {
		b[i] = udpU2[udpU1[b[j]^udpU0[byte(c-1)]]^b[i]]
		i = j
		if j == 0 {
			j = n
		}
		j--
	}
}
