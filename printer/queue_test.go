package printer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// boltJobStore is the JobStore the queue is tested against: the same layout
// store/print_jobs.go uses (bucket "print_jobs", big-endian sequence keys).
type boltJobStore struct{ db *bolt.DB }

var testJobsBucket = []byte("print_jobs")

func openBoltJobStore(t testing.TB, path string) *boltJobStore {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &boltJobStore{db: db}
}

func (s *boltJobStore) AddJob(j *Job) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(testJobsBucket)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		j.ID = seq
		v, err := json.Marshal(j)
		if err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(nil, seq), v)
	})
}

func (s *boltJobStore) UpdateJob(j Job) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(testJobsBucket)
		k := binary.BigEndian.AppendUint64(nil, j.ID)
		if b == nil || b.Get(k) == nil {
			return nil // printed and removed meanwhile
		}
		v, err := json.Marshal(j)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	})
}

func (s *boltJobStore) RemoveJob(id uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(testJobsBucket); b != nil {
			return b.Delete(binary.BigEndian.AppendUint64(nil, id))
		}
		return nil
	})
}

func (s *boltJobStore) PendingJobs() ([]Job, error) {
	var out []Job
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(testJobsBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var j Job
			if err := json.Unmarshal(v, &j); err != nil {
				return fmt.Errorf("print job %x: %w", k, err)
			}
			out = append(out, j)
			return nil
		})
	})
	return out, err
}

func labelBytes(t testing.TB, p Profile, id string) []byte {
	t.Helper()
	ld := sampleLabel()
	ld.TrackingID = id
	doc, err := Label(ld, p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Encode(doc, p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func waitFor(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestQueueSurvivesRestart: with the printer off, three labels are queued;
// the terminal restarts (bbolt file closed and reopened, a new queue); the
// printer comes on, and each label arrives exactly once, in order.
func TestQueueSurvivesRestart(t *testing.T) {
	f := newFake(t)
	f.SetOffline(true)
	p := mustPreset(t, "label-4in")
	path := filepath.Join(t.TempDir(), "pos.db")
	opts := QueueOptions{MinBackoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond}

	store := openBoltJobStore(t, path)
	q := NewQueue(store, opts)
	if err := q.Start(); err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	for i := 1; i <= 3; i++ {
		data := labelBytes(t, p, fmt.Sprintf("JP00000000%02d", i))
		want = append(want, data)
		if _, err := q.Enqueue(Job{Kind: KindLabel, OrderID: fmt.Sprint("order-", i), PrinterURL: f.URL(), Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "a failed attempt", 2*time.Second, func() bool {
		pend := q.Pending()
		return len(pend) == 3 && pend[0].Attempts > 0
	})
	if pend := q.Pending(); !strings.Contains(pend[0].LastError, "offline") {
		t.Errorf("last error %q should say the printer is offline", pend[0].LastError)
	}
	q.Close()
	store.db.Close()
	if n := len(f.Received()) + f.Discarded(); n != 0 {
		t.Fatalf("%d bytes reached an offline printer", n)
	}

	store = openBoltJobStore(t, path)
	defer store.db.Close()
	var mu sync.Mutex
	var printed []Job
	opts.OnPrinted = func(j Job) {
		mu.Lock()
		printed = append(printed, j)
		mu.Unlock()
	}
	q = NewQueue(store, opts)
	if err := q.Start(); err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if n := len(q.Pending()); n != 3 {
		t.Fatalf("%d jobs after restart, want 3", n)
	}
	f.SetOffline(false)
	waitFor(t, "three printed labels", 5*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(printed) == 3
	})
	time.Sleep(100 * time.Millisecond) // nothing more may arrive
	docs := f.Documents()
	if len(docs) != 3 {
		t.Fatalf("printer got %d documents, want 3", len(docs))
	}
	for i := range docs {
		if !bytes.Equal(docs[i], want[i]) {
			t.Errorf("document %d is not label %d", i, i+1)
		}
		if printed[i].OrderID != fmt.Sprint("order-", i+1) {
			t.Errorf("OnPrinted #%d for %s", i, printed[i].OrderID)
		}
	}
	if left, _ := store.PendingJobs(); len(left) != 0 {
		t.Errorf("%d jobs left in the store", len(left))
	}
}

// TestQueueKeepsJobUntilStatusConfirms: a printer that takes the bytes but
// does not answer the status request keeps the job queued.
func TestQueueKeepsJobUntilStatusConfirms(t *testing.T) {
	old := StatusTimeout
	StatusTimeout = 100 * time.Millisecond
	defer func() { StatusTimeout = old }()
	f := newFake(t)
	f.SetMute(true)
	store := openBoltJobStore(t, filepath.Join(t.TempDir(), "pos.db"))
	defer store.db.Close()
	var errs []string
	var mu sync.Mutex
	q := NewQueue(store, QueueOptions{MinBackoff: 20 * time.Millisecond, OnError: func(_ Job, err error) {
		mu.Lock()
		errs = append(errs, err.Error())
		mu.Unlock()
	}})
	if err := q.Start(); err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if _, err := q.Enqueue(Job{Kind: KindTest, PrinterURL: f.URL(), Data: []byte("\x1b@hello\n")}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a failed attempt", 2*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(errs) > 0
	})
	mu.Lock()
	if !strings.Contains(errs[0], "did not answer the status request within 100ms") {
		t.Errorf("error %q", errs[0])
	}
	mu.Unlock()
	if left, _ := store.PendingJobs(); len(left) != 1 {
		t.Fatalf("job left the store without a confirmed status")
	}
	f.SetMute(false)
	q.RetryNow("")
	waitFor(t, "the job to print", 2*time.Second, func() bool {
		left, _ := store.PendingJobs()
		return len(left) == 0
	})
}

func TestEnqueueRefusesIncompleteJob(t *testing.T) {
	store := openBoltJobStore(t, filepath.Join(t.TempDir(), "pos.db"))
	defer store.db.Close()
	q := NewQueue(store, QueueOptions{})
	defer q.Close()
	for field, j := range map[string]Job{
		"printer_url": {Kind: KindTest, Data: []byte("x")},
		"data":        {Kind: KindTest, PrinterURL: "file:///tmp/x"},
		"kind":        {PrinterURL: "file:///tmp/x", Data: []byte("x")},
	} {
		if _, err := q.Enqueue(j); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("err = %v, want one naming %s", err, field)
		}
	}
}
