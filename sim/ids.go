package sim

import (
	"encoding/hex"
	"hash/fnv"
	"strconv"
	"strings"

	"pcfailback/tsql"
)

// newGUID draws a version-4 GUID from the estate's seeded source (callers hold the lock).
func (s *Sim) newGUID() tsql.GUID {
	var g tsql.GUID
	a, b := s.rng.Uint64(), s.rng.Uint64()
	for i := 0; i < 8; i++ {
		g[i] = byte(a >> (8 * i))
		g[8+i] = byte(b >> (8 * i))
	}
	g[6] = g[6]&0x0f | 0x40
	g[8] = g[8]&0x3f | 0x80
	return g
}

// sidOf returns a stable security identifier (as a 0x hex string) for a Windows account or group: the same
// account has the same SID on every instance, as a domain account does.
func sidOf(account string) string {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(account)))
	sum := h.Sum64()
	b := make([]byte, 28)
	copy(b, []byte{1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0})
	for i := 0; i < 12; i++ {
		b[12+i] = byte(sum>>(8*(i%8))) * byte(i+1)
	}
	rid := 1100 + uint32(sum%90000)
	b[24], b[25], b[26], b[27] = byte(rid), byte(rid>>8), byte(rid>>16), byte(rid>>24)
	return "0x" + strings.ToUpper(hex.EncodeToString(b))
}

// lsnVLF is how many log positions make one virtual log file in the LSN rendering.
const lsnVLF = 4_000_000

// lsnOf renders a log position as a SQL Server LSN in its numeric(25,0) form: VLF sequence * 10^15 + block
// * 10^5 + slot. It is strictly increasing in pos, so comparisons of positions and of LSNs agree.
func lsnOf(pos int64) int64 {
	if pos < 0 {
		pos = 0
	}
	vlf := 20 + pos/lsnVLF
	within := pos % lsnVLF
	block := 16 + (within/40)*8
	slot := within%40 + 1
	return vlf*1_000_000_000_000_000 + block*100_000 + slot
}

// lsnText is an LSN as the 4305/4326 messages print it.
func lsnText(pos int64) string { return strconv.FormatInt(lsnOf(pos), 10) }
