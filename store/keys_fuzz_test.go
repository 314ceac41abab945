package store

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/kasir/pos/app"
)

// FuzzKeyDecoders reads any bytes the way the store reads its keys and index
// values back: none of the decoders panics, and what the encoders write
// decodes to what was written.
func FuzzKeyDecoders(f *testing.F) {
	f.Add([]byte(entry{created: 1, acceptBy: 2, status: app.StatusNew, channel: app.ChannelShopee, courier: "jne"}.value()), "woocommerce:7", uint64(3))
	f.Add(timeID("new", 42, "shopee:ABC"), "shopee:ABC", uint64(42))
	f.Add([]byte(`{"id":"x","status":"new"}`), "x", uint64(0))
	f.Add([]byte{0xff}, string(bytes.Repeat([]byte("a"), 300)), uint64(1<<63))
	f.Fuzz(func(t *testing.T, b []byte, id string, n uint64) {
		// Index values.
		if e, err := decodeEntry(id, b); err == nil {
			if len(b) >= 19 && e.created != binary.BigEndian.Uint64(b) {
				t.Fatalf("created read as %d from %x", e.created, b)
			}
		} else if len(b) >= 19 {
			t.Fatalf("a 19-byte value was refused: %v", err)
		}
		// Time-and-id keys round-trip through the bounded order key.
		k := timeID("p", n, id)
		gotT, gotID, ok := splitTimeID(k, 2)
		if !ok || gotT != n || gotID != orderKey(id) {
			t.Fatalf("timeID(%d, %q) read back as %d %q %v", n, id, gotT, gotID, ok)
		}
		_, _, _ = splitTimeID(b, int(n%32))
		// Bounded keys fit their bound and keep short ids as they are.
		if bk := orderKey(id); len(bk) > maxIDKey || (len(id) <= maxIDKey && bk != id) {
			t.Fatalf("orderKey(%q) = %q", id, bk)
		}
		_ = seqOfKey(b)
		// Stored records: a damaged one is an error naming its key, never a panic.
		if o, err := decodeOrder([]byte(orderKey(id)), b); err == nil && orderKey(o.ID) != orderKey(id) {
			t.Fatalf("order under key %q decoded with id %q", id, o.ID)
		}
		_, _ = decodeProduct([]byte(id), b)
	})
}
