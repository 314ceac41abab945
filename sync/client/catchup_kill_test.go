package client_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/store"
	"github.com/kasir/pos/sync/client"
	"github.com/kasir/pos/sync/wire"
)

// envTerminalChild makes the test binary a headless terminal catching up.
const envTerminalChild = "POS_TERMINAL_CHILD_ARGS"

type terminalChildArgs struct {
	Dir, URL, Token, Terminal string
}

// runTerminalChild syncs until killed, printing the cursor after each page.
func runTerminalChild(raw string) {
	var a terminalChildArgs
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		fmt.Println("bad args:", err)
		os.Exit(2)
	}
	db, err := store.Open(a.Dir)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	c := client.NewClient(db, store.NewService(db, app.DefaultPolicy()), client.Config{BaseURL: a.URL, Token: a.Token, Terminal: a.Terminal, Logger: quietLog()})
	c.OnChanges = func([]wire.Change) { fmt.Printf("page %d\n", c.State().Cursor) }
	_ = c.Run(context.Background())
	os.Exit(0)
}

// A terminal killed (SIGKILL) in the middle of catch-up pages reopens with
// its cursor and its data in agreement: every change up to the cursor is
// there, none after it, and it then catches up to the same state as the cloud.
func TestCatchUpKilledMidPageKeepsCursorAndDataTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("re-execs the test binary")
	}
	tc := startCloud(t)
	const n = 10_000
	seedChanges(t, tc, n)
	id, tok := tc.token(t)
	dir := t.TempDir()
	args, _ := json.Marshal(terminalChildArgs{Dir: dir, URL: tc.url, Token: tok, Terminal: id})

	// The cloud's log, to say what a terminal at cursor c must hold.
	items, _, _, err := tc.store.ChangesAfter(tc.shop.ID, 0, n+1)
	if err != nil {
		t.Fatal(err)
	}
	log := make([]wire.Change, len(items))
	for i, raw := range items {
		if err := json.Unmarshal(raw, &log[i]); err != nil {
			t.Fatal(err)
		}
	}
	var kills []uint64
	run := func(until func(line string) bool, d time.Duration) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envTerminalChild+"="+string(args))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		reached := make(chan struct{})
		go func() {
			lines := bufio.NewScanner(out)
			for lines.Scan() {
				if until != nil && until(lines.Text()) {
					close(reached)
					until = nil
				}
			}
		}()
		select {
		case <-reached:
		case <-time.After(d):
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	}
	// The first kill comes as soon as the first page is stored, so one kill
	// is mid-way however fast the machine; the others at a random moment
	// after start: while connecting, decoding pages, or inside the
	// transaction that applies them.
	midway := func(line string) bool {
		var c uint64
		_, err := fmt.Sscanf(line, "page %d", &c)
		return err == nil && c < n
	}
	for round := 0; round < 8; round++ {
		if round == 0 {
			run(midway, 20*time.Second)
		} else {
			run(nil, time.Duration(30+rand.IntN(400))*time.Millisecond)
		}
		cursor := checkAgrees(t, dir, log)
		kills = append(kills, cursor)
		if cursor >= n {
			break
		}
	}
	// Then it finishes the catch-up from where it stood.
	if kills[len(kills)-1] < n {
		run(func(line string) bool { return line == fmt.Sprintf("page %d", n) }, 20*time.Second)
	}
	if c := checkAgrees(t, dir, log); c != n {
		t.Fatalf("after the kills the catch-up ended at %d of %d", c, n)
	}
	t.Logf("killed at cursors %v", kills)
	if kills[0] >= n {
		t.Fatal("the first kill came after the whole catch-up: nothing was killed mid-way")
	}
}

// checkAgrees opens the killed terminal's file and checks that its orders are
// exactly the log's state at its cursor, history included.
func checkAgrees(t *testing.T, dir string, log []wire.Change) uint64 {
	t.Helper()
	db, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := db.SyncState()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for _, ch := range log {
		if ch.Seq > st.Cursor {
			break
		}
		if ch.Order != nil {
			want[ch.Order.ID] = ch.Order.Version
		}
	}
	page, err := db.FindOrders(app.Filter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != len(want) {
		t.Fatalf("cursor %d: the file holds %d orders, the log up to it %d", st.Cursor, page.Total, len(want))
	}
	for id, v := range want {
		o, err := db.OrderWithHistory(id)
		if err != nil {
			t.Fatalf("cursor %d: order %s of the log is missing: %v", st.Cursor, id, err)
		}
		if o.Version != v || len(o.History) != int(v) {
			t.Fatalf("cursor %d: order %s is v%d with %d events, the log says v%d", st.Cursor, id, o.Version, len(o.History), v)
		}
	}
	if q, _ := db.Quarantined(); len(q) != 0 {
		t.Fatalf("cursor %d: %d changes quarantined", st.Cursor, len(q))
	}
	return st.Cursor
}
