package investigate

import "testing"

func TestFindKeywords(t *testing.T) {
	cases := []struct {
		text         string
		mailjet, mj  bool
		basicOffsets int
	}{
		{"MJ_APIKEY_PUBLIC=x", false, true, 0},
		{"const mjApiKey = 'x'", false, true, 0},
		{"$mj-secret: x", false, true, 0},
		{"MJAPIKEY=x", false, true, 0},
		{"mjapikey=x", false, true, 0},
		{"sendMjKey(x)", false, true, 0},
		{"image/mjpeg Ramjet hmj_x", false, false, 0},
		{"host: in-v3.MailJet.com", true, false, 0},
		{"MAILJET_URL Authorization: Basic QUJD and basic\tREVG", true, false, 2},
		{"Authorization: Basic QUJD", false, false, 0}, // Mailjet not named: not looked at
		{"mailjet BasicAuth basics: none", true, false, 0},
		{"mailjet", true, false, 0},
		{"", false, false, 0},
	}
	for _, c := range cases {
		h := findKeywords([]byte(c.text))
		if h.mailjet != c.mailjet || h.mj != c.mj || len(h.basicAt) != c.basicOffsets {
			t.Errorf("%q: mailjet %v mj %v basic %d; want %v %v %d", c.text, h.mailjet, h.mj, len(h.basicAt), c.mailjet, c.mj, c.basicOffsets)
		}
	}
	h := findKeywords([]byte("x mailjet y MAILJET"))
	if len(h.mailjetAt) != 2 || h.mailjetAt[0] != 2 || h.mailjetAt[1] != 12 {
		t.Errorf("offsets %v, want 2 and 12", h.mailjetAt)
	}
}
