package app

import "testing"

func TestPairingTextRoundTrip(t *testing.T) {
	p := Pairing{CloudURL: "https://cloud.toko.id:8720/", Token: "pos_a+b/c=="}
	got, err := ParsePairing(p.Text())
	if err != nil || got != p {
		t.Fatalf("%q read back as %+v, %v", p.Text(), got, err)
	}
	for _, bad := range []string{"", "8991234567890", "kasir-pair:?cloud=ftp://x&token=t", "kasir-pair:?cloud=https://x"} {
		if _, err := ParsePairing(bad); ErrorCode(err) != EInvalid {
			t.Errorf("%q: %v, want EInvalid", bad, err)
		}
	}
}
