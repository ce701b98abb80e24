package tds

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"time"

	"pcfailback/tsql"
)

// Parameter types a client may send besides the ones the server itself uses in result sets.
const (
	typNull           = 0x1F
	typInt1           = 0x30
	typBit            = 0x32
	typInt2           = 0x34
	typInt4           = 0x38
	typDateTim4       = 0x3A
	typFlt4           = 0x3B
	typMoney          = 0x3C
	typDateTime       = 0x3D
	typFlt8           = 0x3E
	typMoney4         = 0x7A
	typInt8           = 0x7F
	typDateN          = 0x28
	typTimeN          = 0x29
	typDateTimeOffset = 0x2B
	typDecimalN       = 0x6A
	typMoneyN         = 0x6E
	typBigBinary      = 0xAD
	typBigChar        = 0xAF
	typNChar          = 0xEF
)

// paramError is SQL Server's Msg 8016 (bad length) or 8009 (unknown type) for parameter idx.
func paramError(number int32, idx int, name, detail string) *streamError {
	return &streamError{number: number, text: fmt.Sprintf("The incoming tabular data stream (TDS) remote procedure call "+
		"(RPC) protocol stream is incorrect. Parameter %d (\"%s\"): %s", idx, name, detail)}
}

// readParam reads one parameter's TYPE_INFO and value and converts the value to a tsql.Value: integers to
// int64, floating and money values to float64, decimals to int64 when whole and float64 otherwise, dates and
// times to time.Time, uniqueidentifier to tsql.GUID, character data to string, binary data to []byte.
func readParam(r *reader, idx int, name string) (tsql.Value, error) {
	typ := r.u8()
	bad := func(detail string) error {
		return paramError(8016, idx, name, fmt.Sprintf("Data type 0x%02X has an invalid data length or metadata length. %s", typ, detail))
	}
	var v tsql.Value
	switch typ {
	case typNull:
		return nil, nil
	case typInt1, typBit, typInt2, typInt4, typInt8, typFlt4, typFlt8, typMoney, typMoney4, typDateTim4, typDateTime:
		size := map[byte]int{typInt1: 1, typBit: 1, typInt2: 2, typInt4: 4, typInt8: 8, typFlt4: 4, typFlt8: 8,
			typMoney: 8, typMoney4: 4, typDateTim4: 4, typDateTime: 8}[typ]
		v = fixedValue(typ, r.take(size))
	case typIntN, typBitN, typFltN, typMoneyN, typDateTimeN, typGUID:
		size := int(r.u8())
		n := int(r.u8())
		if r.err != nil {
			break
		}
		if n == 0 {
			return nil, nil
		}
		if n > size || !validLen(typ, n) {
			return nil, bad(fmt.Sprintf("Length %d.", n))
		}
		v = fixedValue(variant(typ, n), r.take(n))
	case typDecimalN, typNumericN:
		r.u8() // maximum length
		r.u8() // precision
		scale := int(r.u8())
		n := int(r.u8())
		if r.err != nil {
			break
		}
		if n == 0 {
			return nil, nil
		}
		if n > 17 || n < 2 || scale > 38 {
			return nil, bad(fmt.Sprintf("Length %d, scale %d.", n, scale))
		}
		v = decimalValue(r.take(n), scale)
	case typDateN, typTimeN, typDateTime2N, typDateTimeOffset:
		scale := 7
		if typ != typDateN {
			scale = int(r.u8())
		}
		n := int(r.u8())
		if r.err != nil {
			break
		}
		if n == 0 {
			return nil, nil
		}
		if scale > 7 || n != dateLen(typ, scale) {
			return nil, bad(fmt.Sprintf("Length %d, scale %d.", n, scale))
		}
		v = dateValue(typ, scale, r.take(n))
	case typBigVarBin, typBigBinary, typBigVarChar, typBigChar, typNVarChar, typNChar:
		maxLen := int(r.u16())
		if typ == typBigVarChar || typ == typBigChar || typ == typNVarChar || typ == typNChar {
			r.take(5) // collation: character data is decoded as the server collation's code page
		}
		data, null := readVarData(r, maxLen == plpMax)
		if r.err != nil {
			break
		}
		if null {
			return nil, nil
		}
		switch typ {
		case typBigVarBin, typBigBinary:
			v = append([]byte(nil), data...)
		case typBigVarChar, typBigChar:
			v = decodeCP1252(data)
		default:
			if len(data)%2 != 0 {
				return nil, bad(fmt.Sprintf("Odd length %d.", len(data)))
			}
			v = ucs2(data)
		}
	default:
		if r.err == nil {
			return nil, paramError(8009, idx, name, fmt.Sprintf("Data type 0x%02X is unknown.", typ))
		}
	}
	if r.err != nil {
		return nil, errStream(fmt.Sprintf("Parameter %d (\"%s\") is cut short.", idx, name))
	}
	return v, nil
}

// validLen checks the value length of a nullable fixed-size type.
func validLen(typ byte, n int) bool {
	switch typ {
	case typIntN:
		return n == 1 || n == 2 || n == 4 || n == 8
	case typBitN:
		return n == 1
	case typFltN, typMoneyN, typDateTimeN:
		return n == 4 || n == 8
	case typGUID:
		return n == 16
	}
	return false
}

// variant maps a nullable type and its value length to the fixed type it carries.
func variant(typ byte, n int) byte {
	switch typ {
	case typIntN:
		return map[int]byte{1: typInt1, 2: typInt2, 4: typInt4, 8: typInt8}[n]
	case typBitN:
		return typBit
	case typFltN:
		if n == 4 {
			return typFlt4
		}
		return typFlt8
	case typMoneyN:
		if n == 4 {
			return typMoney4
		}
		return typMoney
	case typDateTimeN:
		if n == 4 {
			return typDateTim4
		}
		return typDateTime
	}
	return typ
}

// fixedValue decodes a fixed-size value; b has the type's size (the reader checked it).
func fixedValue(typ byte, b []byte) tsql.Value {
	if b == nil {
		return nil
	}
	switch typ {
	case typInt1:
		return int64(b[0])
	case typBit:
		return b[0] != 0
	case typInt2:
		return int64(int16(binary.LittleEndian.Uint16(b)))
	case typInt4:
		return int64(int32(binary.LittleEndian.Uint32(b)))
	case typInt8:
		return int64(binary.LittleEndian.Uint64(b))
	case typFlt4:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
	case typFlt8:
		return math.Float64frombits(binary.LittleEndian.Uint64(b))
	case typMoney4:
		return float64(int32(binary.LittleEndian.Uint32(b))) / 10000
	case typMoney:
		hi, lo := int64(int32(binary.LittleEndian.Uint32(b))), int64(binary.LittleEndian.Uint32(b[4:]))
		return float64(hi<<32|lo) / 10000
	case typDateTim4:
		days, mins := binary.LittleEndian.Uint16(b), binary.LittleEndian.Uint16(b[2:])
		return time.Date(1900, 1, 1+int(days), 0, int(mins), 0, 0, time.UTC)
	case typDateTime:
		days, ticks := int32(binary.LittleEndian.Uint32(b)), binary.LittleEndian.Uint32(b[4:])
		ms := (int64(ticks%300)*10 + 1) / 3
		return time.Date(1900, 1, 1+int(days), 0, 0, int(ticks/300), int(ms)*int(time.Millisecond), time.UTC)
	case typGUID:
		return guidFromWire(b)
	}
	return nil
}

// decimalValue decodes a decimal/numeric value: a sign byte (1 positive) and a little-endian magnitude.
func decimalValue(b []byte, scale int) tsql.Value {
	mag := make([]byte, len(b)-1)
	for i := range mag {
		mag[i] = b[len(b)-1-i]
	}
	n := new(big.Int).SetBytes(mag)
	if b[0] == 0 {
		n.Neg(n)
	}
	if scale == 0 && n.IsInt64() {
		return n.Int64()
	}
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(n), new(big.Float).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))).Float64()
	return f
}

// timeLen is the byte length of a time of scale s.
func timeLen(s int) int {
	switch {
	case s <= 2:
		return 3
	case s <= 4:
		return 4
	}
	return 5
}

// dateLen is the value length of a date or time type at scale s.
func dateLen(typ byte, s int) int {
	switch typ {
	case typDateN:
		return 3
	case typTimeN:
		return timeLen(s)
	case typDateTime2N:
		return timeLen(s) + 3
	}
	return timeLen(s) + 5
}

// dateValue decodes date, time, datetime2 and datetimeoffset. Times are in units of 10^-scale seconds since
// midnight, dates in days since 0001-01-01; a datetimeoffset holds UTC and the offset in minutes, and is kept as
// that instant in a zone of that offset.
func dateValue(typ byte, scale int, b []byte) tsql.Value {
	var units uint64
	tl := 0
	if typ != typDateN {
		tl = timeLen(scale)
		for i := tl - 1; i >= 0; i-- {
			units = units<<8 | uint64(b[i])
		}
		for i := scale; i < 7; i++ {
			units *= 10
		}
	}
	clock := time.Duration(units) * 100
	if clock < 0 || clock >= 24*time.Hour {
		clock = 0
	}
	if typ == typTimeN {
		return time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Add(clock)
	}
	d := b[tl:]
	days := int(d[0]) | int(d[1])<<8 | int(d[2])<<16
	t := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days).Add(clock)
	if typ == typDateTimeOffset {
		off := int(int16(binary.LittleEndian.Uint16(d[3:])))
		if off < -14*60 || off > 14*60 {
			off = 0
		}
		t = t.In(time.FixedZone("", off*60))
	}
	return t
}

// readVarData reads a short-length value (a two-byte length, 0xFFFF for NULL) or a PLP value (an eight-byte
// total, then chunks each with a four-byte length, ended by an empty chunk). The total is not trusted: only
// chunks actually present are read, so a total claiming 2 GB costs nothing.
func readVarData(r *reader, plp bool) (data []byte, null bool) {
	if !plp {
		n := r.u16()
		if n == 0xFFFF {
			return nil, true
		}
		return r.take(int(n)), false
	}
	total := r.u64()
	if total == math.MaxUint64 {
		return nil, true
	}
	data = []byte{}
	for r.err == nil {
		n := r.u32()
		if n == 0 || r.err != nil {
			break
		}
		data = append(data, r.take(int(n))...)
	}
	return data, false
}
