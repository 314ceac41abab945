package web

import (
	"fmt"
	"testing"
	"time"

	"github.com/kasir/pos/cloud"
)

func TestLimiterRefillsAndStaysBounded(t *testing.T) {
	l := newLimiter(cloud.Rate{PerSecond: 1, Burst: 2})
	t0 := time.Unix(1_700_000_000, 0)
	var got []bool
	for i := 0; i < 3; i++ {
		got = append(got, l.allow("a", t0))
	}
	if !got[0] || !got[1] || got[2] {
		t.Fatalf("a burst of 2 should allow two and refuse the third: %v", got)
	}
	if !l.allow("b", t0) {
		t.Fatal("another key has its own bucket")
	}
	if l.allow("a", t0.Add(500*time.Millisecond)) {
		t.Fatal("half a token is not a token")
	}
	if !l.allow("a", t0.Add(1500*time.Millisecond)) {
		t.Fatal("a second refills one token")
	}
	for i := 0; i < limiterKeys+10; i++ {
		l.allow(fmt.Sprint("k", i), t0.Add(time.Hour))
	}
	if n := len(l.byKey); n > limiterKeys {
		t.Fatalf("the limiter remembers %d keys, more than %d", n, limiterKeys)
	}
	off := newLimiter(cloud.Rate{PerSecond: -1})
	for i := 0; i < 3; i++ {
		if !off.allow("a", t0) {
			t.Fatal("a negative rate is no limit")
		}
	}
}

func TestBodyBudgetIsShared(t *testing.T) {
	b := &budget{left: 10}
	if !b.take(6) || b.take(6) || !b.take(4) {
		t.Fatal("two bodies of 6 do not fit in 10, 6 and 4 do")
	}
	b.give(6)
	if !b.take(6) {
		t.Fatal("a finished body gives its share back")
	}
}
