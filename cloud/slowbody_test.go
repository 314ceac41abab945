package cloud_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kasir/pos/cloud"
)

// slowSender opens a connection that announces a body of almost 1 MiB,
// sends 880 KiB of it and then stalls, as the campaign's attack did.
// headerOnly stalls in the middle of the headers instead.
func slowSender(addr, shop string, headerOnly bool) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	if headerOnly {
		_, err = fmt.Fprintf(c, "POST /v1/shops/%s/webhooks/woocommerce HTTP/1.1\r\nHost: %s\r\nContent-Type: appl", shop, addr)
	} else {
		_, err = fmt.Fprintf(c, "POST /v1/shops/%s/webhooks/woocommerce HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 921600\r\n\r\n", shop, addr)
		if err == nil {
			_, err = c.Write(slowChunk)
		}
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

var slowChunk = []byte(`{"id":1,"line_items":[` + strings.Repeat(" ", 880<<10))

// heapMB is the live heap after a collection, in MB.
func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// rssMB is the process's resident memory, in MB (Linux).
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// holdSlow opens n slow senders (one in ten stalls in its headers) and
// returns them once all have sent what they will send.
func holdSlow(tb testing.TB, addr, shop string, n int) []net.Conn {
	tb.Helper()
	conns := make([]net.Conn, 0, n)
	for i := 0; i < n; i++ {
		c, err := slowSender(addr, shop, i%10 == 0)
		if err != nil {
			tb.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
	}
	time.Sleep(200 * time.Millisecond)
	return conns
}

// outcome waits for the server's answer on a slow connection: its status,
// or 0 when the server just closed it.
func outcome(c net.Conn, wait time.Duration) (int, error) {
	_ = c.SetReadDeadline(time.Now().Add(wait))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err == nil {
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return -1, err
	}
	return 0, nil
}

func TestSlowBodiesAreDroppedAndMemoryStaysBounded(t *testing.T) {
	const timeout = 500 * time.Millisecond
	tc := startEdgeCloud(t, cloud.Options{BodyTimeout: timeout, HeaderTimeout: timeout})
	shop := tc.addShop(t, "A")
	addr := strings.TrimPrefix(tc.url, "http://")
	before := heapMB()
	conns := holdSlow(t, addr, shop.ID, 100)
	held := heapMB()
	start := time.Now()
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			defer c.Close()
			code, err := outcome(c, 10*time.Second)
			if err != nil {
				t.Errorf("a slow connection was held past 10 s: %v", err)
			}
			mu.Lock()
			counts[code]++
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	t.Logf("heap %.1f MB before, %.1f MB while 100 slow connections were held; all dropped in %s: %v", before, held, time.Since(start).Round(time.Millisecond), counts)
	// The body budget (16 MiB) bounds what the bodies hold; the rest is per-connection buffers.
	if held-before > 40 {
		t.Fatalf("100 slow connections grew the heap by %.1f MB", held-before)
	}
	if counts[http.StatusRequestTimeout] == 0 {
		t.Fatalf("no slow body was timed out: %v", counts)
	}
	for code := range counts {
		if code != http.StatusRequestTimeout && code != http.StatusServiceUnavailable && code != 0 {
			t.Fatalf("a slow connection got %d: %v", code, counts)
		}
	}
	// The cloud still answers at once.
	if code, body := tc.postWoo(t, shop, wooBody(t, 950, "processing"), "after"); code != http.StatusOK {
		t.Fatalf("after the slow connections: %d %s", code, body)
	}
}

// BenchmarkSlowUnauthenticatedConnections holds 200 slow, unsigned webhook
// connections (each announcing 900 KB, sending 880 KiB, then stalling) and
// reports the cloud's memory while they are held. Target: ≤ 100 MB.
func BenchmarkSlowUnauthenticatedConnections(b *testing.B) {
	if os.Getenv(slowChildEnv) == "" {
		measureSlowInOwnProcess(b)
		return
	}
	tc := startEdgeCloud(b, cloud.Options{BodyTimeout: 3 * time.Second, WebhookRate: cloud.Rate{PerSecond: -1}})
	shop := tc.addShop(b, "A")
	addr := strings.TrimPrefix(tc.url, "http://")
	var heap, rss float64
	for i := 0; i < b.N; i++ {
		conns := holdSlow(b, addr, shop.ID, 200)
		heap, rss = max(heap, heapMB()), max(rss, rssMB())
		for _, c := range conns {
			c.Close()
		}
	}
	b.ReportMetric(heap, "heap-MB")
	b.ReportMetric(rss, "rss-MB")
}

// slowChildEnv marks the process BenchmarkSlowUnauthenticatedConnections
// measures in.
const slowChildEnv = "POS_CLOUD_SLOW_CHILD"

// measureSlowInOwnProcess runs the benchmark in a process of its own and
// reports its figures: in this one, the 100,000-order fixtures the earlier
// benchmarks keep for the whole process would count as the cloud's memory.
func measureSlowInOwnProcess(b *testing.B) {
	var heap, rss float64
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkSlowUnauthenticatedConnections$", "-test.benchtime=1x", "-test.count=1")
		cmd.Env = append(os.Environ(), slowChildEnv+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("measuring in a process of its own: %v\n%s", err, out)
		}
		figures := map[string]float64{}
		for _, line := range strings.Split(string(out), "\n") {
			if f := strings.Fields(line); len(f) > 2 && strings.HasPrefix(f[0], "BenchmarkSlowUnauthenticatedConnections") {
				for j := 2; j+1 < len(f); j += 2 {
					if v, err := strconv.ParseFloat(f[j], 64); err == nil {
						figures[f[j+1]] = v
					}
				}
			}
		}
		if figures["heap-MB"] == 0 || figures["rss-MB"] == 0 {
			b.Fatalf("the measuring process said no figures:\n%s", out)
		}
		heap, rss = max(heap, figures["heap-MB"]), max(rss, figures["rss-MB"])
	}
	b.ReportMetric(heap, "heap-MB")
	b.ReportMetric(rss, "rss-MB")
}
