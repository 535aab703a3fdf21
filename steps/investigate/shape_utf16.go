package investigate

import (
	"unicode/utf16"
	"unicode/utf8"
)

// UTF-16 text files (a .env or web.config saved by Windows Notepad or
// PowerShell's Out-File) hold a NUL in every ASCII character, so the
// binary check would skip them. They are recognised by their byte-order
// mark, or by their shape (every other byte NUL beside printable ASCII),
// and decoded to UTF-8 before detection; lines stay where they were.

type byteOrder int

const (
	notUTF16 byteOrder = iota
	littleEndian
	bigEndian
)

// utf16Shape is how many code units the shape check reads, and the share
// of them (in percent) that must be NUL beside printable ASCII.
const (
	utf16Shape        = 256
	utf16ShapePercent = 90
)

// utf16Order tells whether head (a file's first bytes) starts UTF-16
// text, and in which byte order.
func utf16Order(head []byte) byteOrder {
	if len(head) >= 2 {
		switch {
		case head[0] == 0xFF && head[1] == 0xFE:
			return littleEndian
		case head[0] == 0xFE && head[1] == 0xFF:
			return bigEndian
		}
	}
	units := min(len(head)/2, utf16Shape)
	if units < 8 {
		return notUTF16
	}
	le, be := 0, 0
	for i := 0; i < units; i++ {
		a, b := head[2*i], head[2*i+1]
		switch {
		case b == 0 && isTextByte(a):
			le++
		case a == 0 && isTextByte(b):
			be++
		}
	}
	switch {
	case le*100 >= units*utf16ShapePercent:
		return littleEndian
	case be*100 >= units*utf16ShapePercent:
		return bigEndian
	}
	return notUTF16
}

func isTextByte(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c < 0x7F }

// decodeUTF16 returns b decoded to UTF-8, without its byte-order mark.
// Unpaired surrogates become U+FFFD; a last odd byte is dropped.
func decodeUTF16(b []byte, order byteOrder) []byte {
	unit := func(i int) uint16 {
		if order == bigEndian {
			return uint16(b[i])<<8 | uint16(b[i+1])
		}
		return uint16(b[i+1])<<8 | uint16(b[i])
	}
	out := make([]byte, 0, len(b)/2+16)
	i := 0
	if len(b) >= 2 && unit(0) == 0xFEFF {
		i = 2
	}
	for ; i+1 < len(b); i += 2 {
		u := unit(i)
		r := rune(u)
		if utf16.IsSurrogate(r) {
			r = utf8.RuneError
			if i+3 < len(b) {
				if d := utf16.DecodeRune(rune(u), rune(unit(i+2))); d != utf8.RuneError {
					r = d
					i += 2
				}
			}
		}
		out = utf8.AppendRune(out, r)
	}
	return out
}
