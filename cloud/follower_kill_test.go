package cloud

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// followChild is how the kill test starts a cloud with the counting
// follower in a re-exec of this test binary, so SIGKILL is a real crash.
type followChild struct {
	Dir   string        `json:"dir"`
	Addr  string        `json:"addr"`
	Count string        `json:"count"`
	Delay time.Duration `json:"delay"`
}

const followChildEnv = "POS_CLOUD_FOLLOW_CHILD"

// TestMain runs the child cloud when the kill test asks for one.
func TestMain(m *testing.M) {
	if raw := os.Getenv(followChildEnv); raw != "" {
		os.Exit(runFollowChild(raw))
	}
	if raw := os.Getenv(courierChildEnv); raw != "" {
		os.Exit(runCourierChild(raw))
	}
	// The cloud's benchmarks measure it as bin/pos-cloud runs it.
	TuneGC()
	code := m.Run()
	removeSweepFixture()
	runAtExit()
	os.Exit(code)
}

func runFollowChild(raw string) int {
	var cfg followChild
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	f, err := os.OpenFile(cfg.Count, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	st, err := OpenBolt(cfg.Dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	c := newCounter("count")
	c.file, c.delay = f, cfg.Delay
	s := NewServer(st, Options{Logger: quiet(), Followers: []Follower{c}})
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := s.Serve(ctx, cfg.Addr, "", "", nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	st.Close()
	return 0
}

func startFollowChild(t *testing.T, cfg followChild) *exec.Cmd {
	t.Helper()
	raw, _ := json.Marshal(cfg)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), followChildEnv+"="+string(raw))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 10*time.Second, "child cloud healthy", func() bool {
		resp, err := http.Get("http://" + cfg.Addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return cmd
}

// counted reads the child's count file: how many times each sequence was followed.
func counted(t *testing.T, path string) map[uint64]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return map[uint64]int{}
		}
		t.Fatal(err)
	}
	defer f.Close()
	out := map[uint64]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var shop, order string
		var seq uint64
		// A SIGKILL may cut the last line short; it is simply not counted.
		if n, _ := fmt.Sscanf(sc.Text(), "%s %d %s", &shop, &seq, &order); n == 3 {
			out[seq]++
		}
	}
	return out
}

func TestFollowerKilledMidStreamResumesWithNoChangeMissed(t *testing.T) {
	if testing.Short() {
		t.Skip("re-execs the test binary")
	}
	dir := t.TempDir()
	st, err := OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	shop, err := AddShop(st, "Toko", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := followChild{Dir: dir, Addr: addr, Count: filepath.Join(t.TempDir(), "count"), Delay: 10 * time.Millisecond}

	child := startFollowChild(t, cfg)
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	const n = 400
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				if err := postStoreOrder(addr, shop, i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// Kill once the follower is part way through the stream.
	waitUntil(t, 20*time.Second, "follower part way", func() bool { return len(counted(t, cfg.Count)) > 50 })
	_ = child.Process.Signal(syscall.SIGKILL)
	_ = child.Wait()
	before := len(counted(t, cfg.Count))
	if st, err := OpenBolt(dir); err == nil {
		cur, _ := st.FollowerCursor("count", shop.ID)
		t.Logf("stored cursor after the kill: %d", cur)
		st.Close()
	}
	if before >= n {
		t.Fatalf("the follower finished (%d) before the kill; the test proves nothing", before)
	}

	cfg.Delay = 0
	child = startFollowChild(t, cfg)
	waitUntil(t, 20*time.Second, "every change followed after restart", func() bool { return len(counted(t, cfg.Count)) >= n })
	_ = child.Process.Signal(syscall.SIGTERM)
	_ = child.Wait()

	got := counted(t, cfg.Count)
	dup := 0
	for seq := uint64(1); seq <= n; seq++ {
		if got[seq] == 0 {
			t.Fatalf("change %d was never followed", seq)
		}
		dup += got[seq] - 1
	}
	if len(got) != n {
		t.Fatalf("followed %d distinct changes, the log has %d", len(got), n)
	}
	st, err = OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if cur, _ := st.FollowerCursor("count", shop.ID); cur != n {
		t.Fatalf("stored cursor %d, want %d", cur, n)
	}
	t.Logf("killed after %d of %d changes; %d followed again after the restart (at least once)", before, n, dup)
}

// postStoreOrder sends one signed web-store order webhook to the child.
func postStoreOrder(addr string, shop *Shop, i int) error {
	body := fmt.Sprintf(`{"event":"order.created","order":{"id":"K%d","number":"WEB-K%d","buyer":{"name":"Ayu"},"lines":[{"sku":"SKU-1","name":"Kaos","qty":1,"unit_price":50000}],"total":50000,"paid":false}}`, i, i)
	req, _ := http.NewRequest("POST", "http://"+addr+"/v1/shops/"+shop.ID+"/webhooks/store", strings.NewReader(body))
	req.Header.Set("X-Store-Signature", SignBase64(shop.Secrets[SecretStore], []byte(body)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("webhook %d: %s", i, resp.Status)
	}
	return nil
}
