package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

// qrCode is a QR code drawn with half blocks (two modules per cell row).
type qrCode struct {
	lines []string
}

func (q qrCode) Width() int {
	if len(q.lines) == 0 {
		return 0
	}
	return ansi.StringWidth(q.lines[0])
}
func (q qrCode) Height() int    { return len(q.lines) }
func (q qrCode) String() string { return strings.Join(q.lines, "\n") }

// renderQR draws text as a QR code with the given quiet zone. inkIsLight
// says the terminal draws glyphs lighter than its background (a dark
// theme): then the light modules are drawn with ink; otherwise the dark ones.
func renderQR(text string, quietZone int, inkIsLight bool) (qrCode, error) {
	// qrterminal ignores Encode's error and then panics on a nil code, so
	// check first.
	if _, err := qr.Encode(text, qr.L); err != nil {
		return qrCode{}, fmt.Errorf("make the QR code: %w", err)
	}
	var b strings.Builder
	cfg := qrterminal.Config{Level: qr.L, Writer: &b, HalfBlocks: true, QuietZone: quietZone}
	if !inkIsLight {
		cfg.BlackChar, cfg.WhiteChar = qrterminal.WHITE_WHITE, qrterminal.BLACK_BLACK
		cfg.BlackWhiteChar, cfg.WhiteBlackChar = qrterminal.WHITE_BLACK, qrterminal.BLACK_WHITE
	}
	qrterminal.GenerateWithConfig(text, cfg)
	return qrCode{lines: strings.Split(strings.TrimRight(b.String(), "\n"), "\n")}, nil
}

// qrCache keeps the QR codes already drawn for one text, so a redraw (a
// tick, a key press) does not encode the code again.
type qrCache struct {
	text  string
	codes map[[2]int]qrCode // by quiet zone and polarity (1 = ink is light)
}

// fit returns the QR code of text with the widest quiet zone (2 modules,
// else 1) that fits in width×height cells, or ok=false when none does or
// text cannot be encoded.
func (c *qrCache) fit(text string, width, height int, inkIsLight bool) (qrCode, bool) {
	if c.text != text {
		*c = qrCache{text: text, codes: map[[2]int]qrCode{}}
	}
	polarity := 0
	if inkIsLight {
		polarity = 1
	}
	for _, qz := range []int{2, 1} {
		k := [2]int{qz, polarity}
		code, ok := c.codes[k]
		if !ok {
			var err error
			if code, err = renderQR(text, qz, inkIsLight); err != nil {
				return qrCode{}, false
			}
			c.codes[k] = code
		}
		if code.Width() <= width && code.Height() <= height {
			return code, true
		}
	}
	return qrCode{}, false
}
