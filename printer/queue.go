package printer

import (
	"context"
	"errors"
	"fmt"
	"github.com/kasir/pos/app"
	"sort"
	"sync"
	"time"
)

// JobKind says what a print job is; the UI filters and the order history use it.
type JobKind string

// Kinds of print job.
const (
	KindReceipt JobKind = "receipt"
	KindLabel   JobKind = "label"
	KindSlip    JobKind = "slip"
	KindTest    JobKind = "test"
)

// Job is one document on its way to one printer.
type Job struct {
	ID         uint64    `json:"id"`
	Kind       JobKind   `json:"kind"`
	OrderID    string    `json:"order_id,omitempty"`
	PrinterURL string    `json:"printer_url"`
	Data       []byte    `json:"data"`
	Attempts   int       `json:"attempts"`
	Created    time.Time `json:"created"`
	NextTry    time.Time `json:"next_try"`
	LastError  string    `json:"last_error,omitempty"`
	// Actor is who asked for the print, so the order's history names them
	// even when the printer was off until after a restart.
	Actor app.Actor `json:"actor,omitempty"`
}

// JobStore keeps jobs across restarts. The queue writes a job to it before
// any byte is sent and removes it only once the printer confirmed the print.
type JobStore interface {
	// AddJob stores j durably and sets j.ID to a value larger than any earlier job's.
	AddJob(j *Job) error
	// UpdateJob rewrites a stored job (attempts, next try, last error).
	UpdateJob(j Job) error
	// RemoveJob deletes a job; deleting a job that is gone is not an error.
	RemoveJob(id uint64) error
	// PendingJobs returns every stored job in ID order.
	PendingJobs() ([]Job, error)
}

// QueueOptions tunes a Queue; the zero value is usable.
type QueueOptions struct {
	// Open returns the transport for a printer URL; nil means Open.
	Open func(url string) (Transport, error)
	// OnPrinted is called once per job after it printed and left the store,
	// so the caller can record "label printed" on the order.
	OnPrinted func(Job)
	// OnError is called after each failed attempt with the error shown to staff.
	OnError func(Job, error)
	// MinBackoff and MaxBackoff bound the wait between attempts (1 s and 1 min by default).
	MinBackoff, MaxBackoff time.Duration
}

// Queue sends print jobs in FIFO order per printer and retries a printer
// that is off, open or out of paper with exponential backoff.
type Queue struct {
	store JobStore
	opt   QueueOptions

	mu      sync.Mutex
	workers map[string]*printerWorker
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	started bool
	closed  bool
}

// ErrQueueClosed is returned by Enqueue after Close.
var ErrQueueClosed = errors.New("print queue is closed")

// NewQueue returns a queue over store. Call Start to resume stored jobs and begin printing.
func NewQueue(store JobStore, opt QueueOptions) *Queue {
	if opt.Open == nil {
		opt.Open = Open
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = time.Second
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(time.Minute, opt.MinBackoff)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Queue{store: store, opt: opt, workers: map[string]*printerWorker{}, ctx: ctx, cancel: cancel}
}

// Start loads the jobs left in the store by an earlier run and starts sending them.
func (q *Queue) Start() error {
	jobs, err := q.store.PendingJobs()
	if err != nil {
		return fmt.Errorf("print queue: loading stored jobs: %w", err)
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].ID < jobs[j].ID })
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrQueueClosed
	}
	q.started = true
	for _, j := range jobs {
		q.workerLocked(j.PrinterURL).push(j)
	}
	return nil
}

// Enqueue stores a job and schedules it. Kind, PrinterURL and Data are
// required; ID, Attempts, Created and NextTry are set here. The returned job
// carries its ID. The job is durable when Enqueue returns.
func (q *Queue) Enqueue(j Job) (Job, error) {
	switch {
	case j.PrinterURL == "":
		return Job{}, fmt.Errorf("print job: printer_url: must not be empty")
	case len(j.Data) == 0:
		return Job{}, fmt.Errorf("print job: data: must not be empty")
	case j.Kind == "":
		return Job{}, fmt.Errorf("print job: kind: must not be empty")
	}
	j.ID, j.Attempts, j.LastError = 0, 0, ""
	j.Created = time.Now()
	j.NextTry = j.Created
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return Job{}, ErrQueueClosed
	}
	if err := q.store.AddJob(&j); err != nil {
		return Job{}, fmt.Errorf("print job for %s: storing: %w", j.PrinterURL, err)
	}
	if q.started {
		q.workerLocked(j.PrinterURL).push(j)
	}
	return j, nil
}

// Pending returns the jobs not yet printed, oldest first.
func (q *Queue) Pending() []Job {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []Job
	for _, w := range q.workers {
		out = append(out, w.snapshot()...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// RetryNow makes every waiting job for printerURL ("" for all) eligible at
// once, for a "retry" button after staff refilled the paper.
func (q *Queue) RetryNow(printerURL string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for u, w := range q.workers {
		if printerURL == "" || u == printerURL {
			w.retryNow()
		}
	}
}

// Close stops sending, waits for attempts in flight and closes the
// transports. Unsent jobs stay in the store for the next Start.
func (q *Queue) Close() error {
	q.mu.Lock()
	q.closed = true
	q.cancel()
	q.mu.Unlock()
	q.wg.Wait()
	return nil
}

func (q *Queue) workerLocked(url string) *printerWorker {
	w, ok := q.workers[url]
	if !ok {
		w = &printerWorker{q: q, url: url, wake: make(chan struct{}, 1)}
		q.workers[url] = w
		q.wg.Add(1)
		go w.run(q.ctx)
	}
	return w
}

// printerWorker owns one printer: its jobs go out one at a time, in ID order.
type printerWorker struct {
	q    *Queue
	url  string
	wake chan struct{}

	mu   sync.Mutex
	jobs []Job
	t    Transport
}

func (w *printerWorker) push(j Job) {
	w.mu.Lock()
	w.jobs = append(w.jobs, j)
	w.mu.Unlock()
	w.signal()
}

func (w *printerWorker) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *printerWorker) snapshot() []Job {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Job(nil), w.jobs...)
}

func (w *printerWorker) retryNow() {
	w.mu.Lock()
	now := time.Now()
	for i := range w.jobs {
		w.jobs[i].NextTry = now
	}
	w.mu.Unlock()
	w.signal()
}

func (w *printerWorker) head() (Job, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.jobs) == 0 {
		return Job{}, false
	}
	return w.jobs[0], true
}

func (w *printerWorker) run(ctx context.Context) {
	defer w.q.wg.Done()
	defer func() {
		if w.t != nil {
			w.t.Close()
		}
	}()
	for {
		j, ok := w.head()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-w.wake:
				continue
			}
		}
		if wait := time.Until(j.NextTry); wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-w.wake:
				timer.Stop()
				continue
			case <-timer.C:
			}
		}
		err := w.send(ctx, j)
		if ctx.Err() != nil {
			return
		}
		w.mu.Lock()
		if err == nil {
			w.jobs = w.jobs[1:]
		} else {
			j.Attempts++
			j.LastError = err.Error()
			j.NextTry = time.Now().Add(w.q.backoff(j.Attempts))
			w.jobs[0] = j
		}
		w.mu.Unlock()
		if err == nil {
			if rerr := w.q.store.RemoveJob(j.ID); rerr != nil && w.q.opt.OnError != nil {
				// The job printed; failing to forget it means it may print
				// again after a restart, which staff should hear about.
				w.q.opt.OnError(j, fmt.Errorf("job %d printed but could not be removed from the queue: %w", j.ID, rerr))
			}
			if w.q.opt.OnPrinted != nil {
				w.q.opt.OnPrinted(j)
			}
			continue
		}
		_ = w.q.store.UpdateJob(j)
		if w.q.opt.OnError != nil {
			w.q.opt.OnError(j, err)
		}
	}
}

// send makes one attempt: the printer must be ready before the first byte,
// take the whole document, and still be ready afterwards (a roll that ran
// out mid-label means the label is printed again).
func (w *printerWorker) send(ctx context.Context, j Job) error {
	if w.t == nil {
		t, err := w.q.opt.Open(w.url)
		if err != nil {
			return err
		}
		w.t = t
	}
	st, err := w.t.Status(ctx)
	if err != nil {
		return err
	}
	if !st.Ready() {
		return fmt.Errorf("printer at %s is not ready: %s", w.url, st)
	}
	if err := w.t.Write(ctx, j.Data); err != nil {
		return err
	}
	st, err = w.t.Status(ctx)
	if err != nil {
		return fmt.Errorf("job %d sent, but %w", j.ID, err)
	}
	if !st.Ready() {
		return fmt.Errorf("job %d sent, but printer at %s is now %s; it will be printed again", j.ID, w.url, st)
	}
	return nil
}

func (q *Queue) backoff(attempts int) time.Duration {
	d := q.opt.MinBackoff
	for i := 1; i < attempts && d < q.opt.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, q.opt.MaxBackoff)
}
