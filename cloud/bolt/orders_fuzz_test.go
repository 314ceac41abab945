package bolt

import (
	"testing"

	"github.com/kasir/pos/app"
)

// FuzzOrderIndexEntry reads any bytes as an order index entry: it never
// panics, and what it reads round-trips.
func FuzzOrderIndexEntry(f *testing.F) {
	f.Add(orderKeys{created: 1, deadline: 2, status: app.StatusNew, number: "WC-1"}.encode())
	f.Add([]byte{0, 1, 2})
	f.Add(make([]byte, 17))
	f.Fuzz(func(t *testing.T, b []byte) {
		if k, err := decodeOrderKeys(b); err == nil {
			again, err := decodeOrderKeys(k.encode())
			if err != nil || again != k {
				t.Fatalf("index entry %x: %+v, again %+v %v", b, k, again, err)
			}
		}
	})
}
