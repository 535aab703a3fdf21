package ui

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// locateQR finds a half-block QR code drawn with light ink (a dark
// terminal) on a screen: its quiet zone makes a block of full cells whose
// top-left corner starts the code. It returns the code's cells.
func locateQR(t *testing.T, screen string) [][]rune {
	t.Helper()
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		r := []rune(l)
		for j := range r {
			n := 0
			for j+n < len(r) && r[j+n] == '█' {
				n++
			}
			if n < 21 {
				continue
			}
			var cells [][]rune
			for k := i; k < len(lines); k++ {
				row := []rune(lines[k])
				if len(row) < j+n || (row[j] != '█' && row[j] != '▀') {
					break
				}
				cells = append(cells, row[j:j+n])
			}
			return cells
		}
	}
	t.Fatalf("no QR code on screen:\n%s", screen)
	return nil
}

// decodeQR decodes half-block cells the way a phone camera would: from
// the picture, not from our data. inkIsLight says glyphs are the light
// modules (a dark terminal).
func decodeQR(t *testing.T, cells [][]rune, inkIsLight bool) string {
	t.Helper()
	const scale, margin = 4, 16
	width := len(cells[0])
	img := image.NewGray(image.Rect(0, 0, width*scale+2*margin, len(cells)*2*scale+2*margin))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	set := func(x, y int, light bool) {
		v := uint8(0)
		if light {
			v = 255
		}
		for dy := 0; dy < scale; dy++ {
			for dx := 0; dx < scale; dx++ {
				img.SetGray(margin+x*scale+dx, margin+y*scale+dy, color.Gray{Y: v})
			}
		}
	}
	for y, row := range cells {
		for x, c := range row {
			topInk := c == '█' || c == '▀'
			bottomInk := c == '█' || c == '▄'
			set(x, 2*y, topInk == inkIsLight)
			set(x, 2*y+1, bottomInk == inkIsLight)
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("bitmap: %v", err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode the QR code: %v", err)
	}
	return res.GetText()
}

// totpCode is an independent RFC 6238 implementation (HMAC-SHA1, 6
// digits, 30 s), so the test does not trust the code under test.
func totpCode(t *testing.T, uri string, now time.Time) string {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("parse %q: %v", uri, err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("not a TOTP URI: %q", uri)
	}
	seed := strings.ToUpper(u.Query().Get("secret"))
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(seed)
	if err != nil {
		t.Fatalf("decode secret: %v", err)
	}
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(now.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(counter[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", bin%1_000_000)
}

func TestRenderQRDecodesOnBothBackgrounds(t *testing.T) {
	uri := "otpauth://totp/Mailjet:jane@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Mailjet"
	for _, inkIsLight := range []bool{true, false} {
		code, err := renderQR(uri, 2, inkIsLight)
		if err != nil {
			t.Fatal(err)
		}
		var cells [][]rune
		for _, l := range code.lines {
			cells = append(cells, []rune(l))
		}
		if inkIsLight {
			// On a screen with text around it, as the wizard draws it.
			var b strings.Builder
			b.WriteString("Step 4 of 5\n\n")
			for _, l := range code.lines {
				b.WriteString(" " + l + "  some text\n")
			}
			cells = locateQR(t, b.String())
		}
		if got := decodeQR(t, cells, inkIsLight); got != uri {
			t.Errorf("inkIsLight=%v: decoded %q, want %q", inkIsLight, got, uri)
		}
	}
}

func TestRenderQRRefusesTooLongText(t *testing.T) {
	if _, err := renderQR(strings.Repeat("x", 5000), 2, true); err == nil {
		t.Fatal("a text too long for a QR code must give an error, not a panic")
	}
}

func TestFitQRFitsEightyByTwentyFour(t *testing.T) {
	uri := "otpauth://totp/Mailjet:jane@lafleur-bakery.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Mailjet"
	// The body of an 80x24 window: 78 columns, 21 rows; text needs 32.
	var cache qrCache
	code, ok := cache.fit(uri, 78-32, 21, true)
	if !ok {
		t.Fatal("the QR code does not fit 80x24")
	}
	if code.Height() > 21 || code.Width() > 46 {
		t.Fatalf("QR is %dx%d", code.Width(), code.Height())
	}
	if again, _ := cache.fit(uri, 78-32, 21, true); again.String() != code.String() {
		t.Fatal("the cache gives another drawing")
	}
	if _, ok := cache.fit(uri, 78, 10, true); ok {
		t.Fatal("a 10-row area cannot hold the QR code")
	}
}
