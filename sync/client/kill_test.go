package client_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
	"github.com/kasir/pos/cloud/bolt"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// child is pos-cloud serve running in a re-exec of this test binary, so it
// can be killed with SIGKILL like a real crash.
type child struct {
	cmd  *exec.Cmd
	addr string
}

func startChild(t *testing.T, dir, addr string) *child {
	t.Helper()
	args, _ := json.Marshal([]string{"serve", "--listen", addr, "--data", dir})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "POS_CLOUD_CHILD_ARGS="+string(args))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, addr: addr}
	waitFor(t, 10*time.Second, "child cloud healthy", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return c
}

func (c *child) kill(sig syscall.Signal) {
	_ = c.cmd.Process.Signal(sig)
	_ = c.cmd.Wait()
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestCloudKilledMidPushLosesAndDoublesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("re-execs the test binary")
	}
	dir, addr := t.TempDir(), freeAddr(t)
	st, err := bolt.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	shop, err := cloud.AddShop(st, "Toko", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	term, tok, err := cloud.AddTerminal(st, shop.ID, "tablet", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	c := startChild(t, dir, addr)
	defer func() { c.kill(syscall.SIGKILL) }()
	base := "http://" + addr
	var orders []string
	for i := 0; i < 10; i++ {
		orders = append(orders, postWoo(t, base, shop, 500+i))
	}
	tm := newTerminal(t, base, term.ID, tok)
	waitFor(t, 5*time.Second, "orders", func() bool { return tm.has(orders[9]) })

	const n = 1500
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < n; i++ {
			if _, err := tm.svc.Do(app.Command{Action: app.ActionAddNote, OrderID: orders[i%10], Args: app.Args{Note: fmt.Sprint("note ", i)}}, owner); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	// Kill once the cloud has answered some pushes but not all.
	waitFor(t, 20*time.Second, "some acks", func() bool {
		st, _ := tm.db.SyncState()
		return st.LastAckedMid > 100
	})
	c.kill(syscall.SIGKILL)
	killedAt, _ := tm.db.SyncState()
	<-done
	c = startChild(t, dir, addr)
	waitFor(t, 30*time.Second, "resync after restart", func() bool {
		n, _ := tm.db.OutboxLen()
		return n == 0 && tm.client.State().Status == client.Online
	})
	tm.stop()
	c.kill(syscall.SIGTERM)
	t.Logf("killed with %d of %d acked", killedAt.LastAckedMid, n)

	st, err = bolt.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	items, head, _, err := st.ChangesAfter(shop.ID, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uint64]int{}
	for _, raw := range items {
		var ch wire.Change
		if err := json.Unmarshal(raw, &ch); err != nil {
			t.Fatal(err)
		}
		if ch.Mid > 0 {
			seen[ch.Mid]++
		}
	}
	for mid := uint64(1); mid <= n; mid++ {
		if seen[mid] != 1 {
			t.Fatalf("mid %d applied %d times", mid, seen[mid])
		}
	}
	if head != 10+n {
		t.Fatalf("cloud log head %d, want %d", head, 10+n)
	}
	assertConverged(t, st, shop.ID, tm)
}
