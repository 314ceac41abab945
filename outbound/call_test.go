package outbound

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func fastCaller() *Caller {
	return &Caller{HTTP: &http.Client{}, Timeout: 500 * time.Millisecond, Attempts: 4, FirstRetry: time.Millisecond, MaxWait: 2 * time.Second}
}

func TestCallRetries5xxThenSucceeds(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.WriteHeader(502)
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	var out struct{ OK bool }
	if err := fastCaller().Do(context.Background(), Request{Platform: "X", Method: "GET", URL: srv.URL}, &out); err != nil || !out.OK {
		t.Fatalf("err %v out %+v", err, out)
	}
	if n.Load() != 3 {
		t.Fatalf("%d attempts, want 3", n.Load())
	}
}

func TestCallWaitsRetryAfter(t *testing.T) {
	var n atomic.Int32
	var first time.Time
	var waited time.Duration
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		waited = time.Since(first)
	}))
	defer srv.Close()
	if err := fastCaller().Do(context.Background(), Request{Platform: "X", Method: "POST", URL: srv.URL, Body: map[string]int{"a": 1}}, nil); err != nil {
		t.Fatal(err)
	}
	if waited < 900*time.Millisecond {
		t.Fatalf("retried after %v, Retry-After said 1 s", waited)
	}
}

func TestCallRefusalCarriesPlatformWords(t *testing.T) {
	var n atomic.Int32
	body := `{"message":"pickup address is not set","pad":"` + strings.Repeat("x", 2000) + `"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(400)
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	err := fastCaller().Do(context.Background(), Request{Platform: "Shopee", Method: "POST", URL: srv.URL,
		Message: func(b []byte) string { return "pickup address is not set" }}, nil)
	r, ok := IsRefusal(err)
	if !ok || r.Message != "pickup address is not set" || r.Status != 400 || len(r.Body) > BodyMax+4 {
		t.Fatalf("got %v", err)
	}
	if n.Load() != 1 {
		t.Fatalf("a refusal was asked %d times", n.Load())
	}
}

func TestCallUnavailableAfterAttempts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(300 * time.Millisecond) }))
	defer srv.Close()
	c := fastCaller()
	c.Timeout = 20 * time.Millisecond
	err := c.Do(context.Background(), Request{Platform: "X", Method: "GET", URL: srv.URL}, nil)
	var u *Unavailable
	if !errors.As(err, &u) {
		t.Fatalf("got %v, want Unavailable", err)
	}
}

func TestCallRenewsExpiredTokenOnce(t *testing.T) {
	var renewed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer new" {
			w.WriteHeader(401)
		}
	}))
	defer srv.Close()
	tok := "old"
	err := fastCaller().Do(context.Background(), Request{Platform: "X", Method: "GET", URL: srv.URL,
		Auth: func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+tok)
			return nil
		},
		Expired: func(st int, _ []byte) bool { return st == 401 },
		Renew:   func(context.Context) error { renewed.Add(1); tok = "new"; return nil }}, nil)
	if err != nil || renewed.Load() != 1 {
		t.Fatalf("err %v renewed %d", err, renewed.Load())
	}
}

func TestRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	if d := retryAfter(now.Add(3*time.Second).Format(http.TimeFormat), now); d != 3*time.Second {
		t.Fatalf("got %v", d)
	}
	if d := retryAfter("7", now); d != 7*time.Second {
		t.Fatalf("got %v", d)
	}
}
