package printer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/kasir/pos/app"
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

// JobState is where a job stands between the queue and the paper. A job
// that has printed is no longer stored: its removal is the durable "sent".
type JobState string

// States of a stored job.
const (
	// JobQueued has sent no byte yet (stored jobs written before states
	// existed read as queued too: they were only ever removed once confirmed).
	JobQueued JobState = "queued"
	// JobSending is on disk before the first byte leaves. A job found in
	// this state after a restart was cut off between its first byte and the
	// printer's confirmation.
	JobSending JobState = "sending"
	// JobUncertain may have printed: the printer took bytes but never
	// confirmed. It is set aside until staff, or the shop's setting, decide.
	JobUncertain JobState = "uncertain"
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

	// State is queued, sending or uncertain; empty reads as queued.
	State JobState `json:"state,omitempty"`
	// Copy says Data is marked COPY: it prints again what may be on paper already.
	Copy bool `json:"copy,omitempty"`
	// Number is the order's number, for the question staff are asked.
	Number string `json:"number,omitempty"`
	// Profile is the printer profile Data was laid out for, so a copy is laid out alike.
	Profile string `json:"profile,omitempty"`
	// PrinterSaid is the printer's status, asked when the job became uncertain.
	PrinterSaid string `json:"printer_said,omitempty"`
	// Bill names the issuer of the airway bill a label job prints
	// (app.BillSource: "shopee", "shipper"…). Such a job is stored before
	// the bill exists here: its Data is filled (QueueOptions.Fill) when its
	// turn comes, and kept from then on.
	Bill string `json:"bill,omitempty"`
	// OwnLabel marks the register's own label of an order whose parcel
	// carries a platform's bill: a packing aid, not the parcel's label, so
	// the order's history does not count it as the label printed.
	OwnLabel bool `json:"own_label,omitempty"`
}

// Uncertain reports whether the job may have printed and waits for a decision.
func (j Job) Uncertain() bool { return j.State == JobUncertain }

// JobStore keeps jobs across restarts as records the queue encodes. Every
// write is on disk (fsynced) when it returns: the queue records "sending"
// through PutJob before the first byte and "sent" through RemoveJob after
// the printer confirmed. It is defined here, where it is used, so that the
// store needs nothing of this package.
type JobStore interface {
	// AddJob stores rec and returns its ID, larger than any earlier job's.
	AddJob(rec []byte) (uint64, error)
	// PutJob rewrites job id and reports whether it was still stored; a
	// removed job stays removed. The jobs in sent are removed in the same
	// write, so one fsync records one job's "sent" and the next's "sending".
	PutJob(id uint64, rec []byte, sent ...uint64) (bool, error)
	// RemoveJob deletes a job; deleting a job that is gone is not an error.
	RemoveJob(id uint64) error
	// EachJob calls fn with every stored job in ID order.
	EachJob(fn func(id uint64, rec []byte) error) error
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
	// OnUncertain is called once a job may have printed and was set aside:
	// when the printer did not confirm it, and for each such job found by
	// Start. The job waits for PrintAgain or Forget. Nil leaves it waiting.
	OnUncertain func(Job)
	// Fill lays out a job stored without its data (a platform's airway
	// bill, Job.Bill) when its turn comes. An error is retried with backoff
	// like a printer that is off, and the job waiting for it lets the
	// printer's other jobs go first; an error that wraps ErrUnfillable
	// removes the job. Either way OnError is told, in words for staff.
	Fill func(ctx context.Context, j Job) ([]byte, error)
	// MinBackoff and MaxBackoff bound the wait between attempts (1 s and 1 min by default).
	MinBackoff, MaxBackoff time.Duration
}

// ErrUnfillable marks a Fill error that no retry will mend (the platform
// refused the bill, or the order no longer has one): the job leaves the queue.
var ErrUnfillable = errors.New("the print job cannot be laid out")

// Unfillable wraps err as a Fill error no retry will mend.
func Unfillable(err error) error { return unfillable{err} }

type unfillable struct{ error }

func (e unfillable) Unwrap() []error { return []error{e.error, ErrUnfillable} }

// Queue sends print jobs in FIFO order per printer and retries a printer
// that is off, open or out of paper with exponential backoff. It never
// sends a job twice on its own: once a byte may have reached the printer,
// the job either is confirmed or waits as uncertain for a decision.
type Queue struct {
	store JobStore
	opt   QueueOptions

	mu        sync.Mutex
	workers   map[string]*printerWorker
	uncertain map[uint64]Job
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	started   bool
	closed    bool
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
	return &Queue{store: store, opt: opt, workers: map[string]*printerWorker{}, uncertain: map[uint64]Job{}, ctx: ctx, cancel: cancel}
}

// Start loads the jobs left in the store by an earlier run and starts
// sending them. A job left "sending" is not sent again: its printer is asked
// for its status first and the job is set aside as uncertain.
func (q *Queue) Start() error {
	var jobs []Job
	err := q.store.EachJob(func(id uint64, rec []byte) error {
		var j Job
		if err := json.Unmarshal(rec, &j); err != nil {
			// Reported rather than skipped, so no job vanishes silently.
			return fmt.Errorf("print job %d: %w", id, err)
		}
		j.ID = id
		jobs = append(jobs, j)
		return nil
	})
	if err != nil {
		return fmt.Errorf("print queue: loading stored jobs: %w", err)
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].ID < jobs[j].ID })
	var set []Job
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrQueueClosed
	}
	q.started = true
	for _, j := range jobs {
		if j.Uncertain() {
			q.uncertain[j.ID] = j
			set = append(set, j)
			continue
		}
		q.workerLocked(j.PrinterURL).push(j)
	}
	q.mu.Unlock()
	for _, j := range set {
		q.told(j)
	}
	return nil
}

// Enqueue stores a job and schedules it. Kind, PrinterURL and Data are
// required; ID, Attempts, NextTry and State are set here, and Created when
// zero. The returned job carries its ID. The job is durable when Enqueue returns.
func (q *Queue) Enqueue(j Job) (Job, error) {
	switch {
	case j.PrinterURL == "":
		return Job{}, fmt.Errorf("print job: printer_url: must not be empty")
	case len(j.Data) == 0 && j.Bill == "":
		return Job{}, fmt.Errorf("print job: data: must not be empty")
	case j.Kind == "":
		return Job{}, fmt.Errorf("print job: kind: must not be empty")
	}
	j.ID, j.Attempts, j.LastError, j.State, j.PrinterSaid = 0, 0, "", JobQueued, ""
	if j.Created.IsZero() {
		j.Created = time.Now()
	}
	j.NextTry = time.Now()
	rec, err := json.Marshal(j)
	if err != nil {
		return Job{}, fmt.Errorf("print job for %s: %w", j.PrinterURL, err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return Job{}, ErrQueueClosed
	}
	if j.ID, err = q.store.AddJob(rec); err != nil {
		return Job{}, fmt.Errorf("print job for %s: storing: %w", j.PrinterURL, err)
	}
	if q.started {
		q.workerLocked(j.PrinterURL).push(j)
	}
	return j, nil
}

// PrintAgain sends an uncertain job once more, as a copy: data replaces the
// job's document (nil keeps it) and should say COPY; actor is who decided.
// The decision is durable when PrintAgain returns.
func (q *Queue) PrintAgain(id uint64, data []byte, actor app.Actor) (Job, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	j, ok := q.uncertain[id]
	if !ok {
		return Job{}, app.Errorf(app.ENotFound, "Print job %d is not waiting for an answer", id)
	}
	if data != nil {
		j.Data = data
	}
	j.State, j.Copy, j.Attempts, j.LastError, j.PrinterSaid = JobQueued, true, 0, "", ""
	j.NextTry = time.Now()
	if actor.Staff != "" {
		j.Actor = actor
	}
	found, err := q.put(j)
	if err != nil {
		return Job{}, err
	}
	delete(q.uncertain, id)
	if !found {
		return Job{}, app.Errorf(app.ENotFound, "Print job %d is not waiting for an answer", id)
	}
	if q.started && !q.closed {
		q.workerLocked(j.PrinterURL).push(j)
	}
	return j, nil
}

// Forget removes an uncertain job without printing it again, for when it
// did print (or the shop would rather not risk a second copy).
func (q *Queue) Forget(id uint64) (Job, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	j, ok := q.uncertain[id]
	if !ok {
		return Job{}, app.Errorf(app.ENotFound, "Print job %d is not waiting for an answer", id)
	}
	if err := q.store.RemoveJob(id); err != nil {
		return Job{}, fmt.Errorf("print job %d: removing: %w", id, err)
	}
	delete(q.uncertain, id)
	return j, nil
}

// Uncertain returns the jobs that may have printed and wait for a decision, oldest first.
func (q *Queue) Uncertain() []Job {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Job, 0, len(q.uncertain))
	for _, j := range q.uncertain {
		out = append(out, j)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Pending returns the jobs not known to have printed, uncertain ones
// included, oldest first.
func (q *Queue) Pending() []Job {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []Job
	for _, w := range q.workers {
		for _, j := range w.snapshot() {
			if _, aside := q.uncertain[j.ID]; !aside {
				out = append(out, j)
			}
		}
	}
	for _, j := range q.uncertain {
		out = append(out, j)
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

	// done is a job the printer confirmed whose "sent" is not on disk yet.
	// When another job follows at once, both go in one fsynced write with
	// that job's "sending"; otherwise flush writes it before the worker
	// waits. A crash in between leaves it "sending": asked about, never
	// printed again blindly.
	done *Job
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
	defer w.flush()
	for {
		j, ok := w.head()
		if !ok {
			w.flush()
			select {
			case <-ctx.Done():
				return
			case <-w.wake:
				continue
			}
		}
		if j.State == JobSending {
			// An earlier run stopped between the first byte and the
			// confirmation: ask the printer, and send nothing.
			w.setAside(w.askAfterRestart(ctx, j))
			continue
		}
		if wait := time.Until(j.NextTry); wait > 0 {
			w.flush()
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
		if ctx.Err() != nil {
			return
		}
		if len(j.Data) == 0 {
			if !w.fill(ctx, j) {
				continue
			}
			j, _ = w.head()
		}
		// The outcome is recorded even when Close came during the attempt:
		// bytes that left must not be forgotten.
		res, err := w.send(ctx, &j)
		switch res {
		case printed:
			w.pop()
			w.done = &j
		case gone:
			w.pop()
		case uncertain:
			j.LastError = err.Error()
			w.setAside(j)
		case notSent:
			j.State = JobQueued
			j.Attempts++
			j.LastError = err.Error()
			j.NextTry = time.Now().Add(w.q.backoff(j.Attempts))
			w.mu.Lock()
			w.jobs[0] = j
			w.mu.Unlock()
			if found, perr := w.put(j); perr == nil && !found {
				w.pop()
			}
			if w.q.opt.OnError != nil {
				w.q.opt.OnError(j, err)
			}
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// fill lays out the head job j, stored without its data, and reports
// whether it is ready to send. Filled, it is stored with its data, so a
// printer that is off does not make it fetched again. Not filled, it waits
// behind the printer's other jobs, or leaves the queue when it never can be.
func (w *printerWorker) fill(ctx context.Context, j Job) bool {
	err := ErrUnfillable
	var data []byte
	if w.q.opt.Fill != nil {
		data, err = w.q.opt.Fill(ctx, j)
	}
	if err == nil && len(data) == 0 {
		err = Unfillable(fmt.Errorf("print job %d: laid out as nothing", j.ID))
	}
	switch {
	case err == nil:
		j.Data = data
		if found, perr := w.put(j); perr != nil {
			// Not stored: printed from memory all the same; a restart fills it again.
			if w.q.opt.OnError != nil {
				w.q.opt.OnError(j, perr)
			}
		} else if !found {
			w.pop()
			return false
		}
		w.mu.Lock()
		w.jobs[0] = j
		w.mu.Unlock()
		return true
	case errors.Is(err, ErrUnfillable):
		if rerr := w.q.store.RemoveJob(j.ID); rerr != nil {
			err = fmt.Errorf("%w (and the job could not be removed: %v)", err, rerr)
		}
		w.pop()
	default:
		j.Attempts++
		j.LastError = err.Error()
		j.NextTry = time.Now().Add(w.q.backoff(j.Attempts))
		w.mu.Lock()
		w.jobs = append(w.jobs[1:], j)
		w.mu.Unlock()
		if found, perr := w.put(j); perr == nil && !found {
			w.drop(j.ID)
		}
	}
	if w.q.opt.OnError != nil {
		w.q.opt.OnError(j, err)
	}
	return false
}

// drop takes job id off this printer's line, wherever it stands.
func (w *printerWorker) drop(id uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, j := range w.jobs {
		if j.ID == id {
			w.jobs = append(w.jobs[:i:i], w.jobs[i+1:]...)
			return
		}
	}
}

// outcome is what one attempt did to the paper, as far as the queue can know.
type outcome int

const (
	notSent   outcome = iota // no byte left: the job may be sent again as it is
	printed                  // the printer took it all and then reported ready
	uncertain                // bytes left, and the printer did not confirm
	gone                     // the job left the store meanwhile
)

// send makes one attempt: the printer must be ready before the first byte;
// "sending" is on disk before it; the printer must take the whole document
// and still be ready afterwards. From the first byte on, anything short of
// that leaves the job uncertain: a printer out of paper or hung after the
// data may still print it, so sending it again would risk a second copy.
func (w *printerWorker) send(ctx context.Context, j *Job) (outcome, error) {
	if w.t == nil {
		t, err := w.q.opt.Open(w.url)
		if err != nil {
			return notSent, err
		}
		w.t = t
	}
	st, err := w.t.Status(ctx)
	if err != nil {
		return notSent, err
	}
	if !st.Ready() {
		return notSent, fmt.Errorf("printer at %s is not ready: %s", w.url, st)
	}
	j.State = JobSending
	found, err := w.put(*j)
	if err != nil {
		return notSent, fmt.Errorf("job %d not sent: %w", j.ID, err)
	}
	if !found {
		return gone, nil
	}
	if err := w.t.Write(ctx, j.Data); err != nil {
		if errors.Is(err, ErrNothingSent) {
			return notSent, err
		}
		j.PrinterSaid = err.Error()
		return uncertain, fmt.Errorf("job %d may have printed: %w", j.ID, err)
	}
	st, err = w.t.Status(ctx)
	if err != nil {
		j.PrinterSaid = err.Error()
		return uncertain, fmt.Errorf("job %d sent, but %w", j.ID, err)
	}
	if !st.Ready() {
		j.PrinterSaid = st.String()
		return uncertain, fmt.Errorf("job %d sent, but printer at %s is now %s", j.ID, w.url, st)
	}
	return printed, nil
}

// askAfterRestart asks the printer of a job found "sending" after a
// restart how it is, for whoever decides whether the job printed.
func (w *printerWorker) askAfterRestart(ctx context.Context, j Job) Job {
	if w.t == nil {
		t, err := w.q.opt.Open(w.url)
		if err != nil {
			j.PrinterSaid = err.Error()
		}
		w.t = t
	}
	if w.t != nil {
		if st, err := w.t.Status(ctx); err != nil {
			j.PrinterSaid = err.Error()
		} else {
			j.PrinterSaid = st.String()
		}
	}
	j.LastError = fmt.Sprintf("job %d was being sent when the terminal stopped; the printer now says: %s", j.ID, j.PrinterSaid)
	return j
}

// setAside records j as uncertain, takes it off this printer's line so the
// jobs behind it go on, and tells the owner of the queue.
func (w *printerWorker) setAside(j Job) {
	j.State = JobUncertain
	found, err := w.put(j)
	if err != nil && w.q.opt.OnError != nil {
		// Still "sending" on disk, which a restart also treats as uncertain.
		w.q.opt.OnError(j, fmt.Errorf("job %d may have printed and could not be set aside: %w", j.ID, err))
	}
	if err == nil && !found {
		w.pop()
		return
	}
	// Set aside before it leaves the line, so Pending never misses it and
	// nobody takes it for printed in between.
	w.q.mu.Lock()
	w.q.uncertain[j.ID] = j
	w.q.mu.Unlock()
	w.pop()
	w.q.told(j)
}

func (w *printerWorker) pop() {
	w.mu.Lock()
	if len(w.jobs) > 0 {
		w.jobs = w.jobs[1:]
	}
	w.mu.Unlock()
}

// put writes j over its stored record, with the "sent" of the job the
// printer last confirmed, if that is not on disk yet.
func (w *printerWorker) put(j Job) (bool, error) {
	var sent []uint64
	if w.done != nil {
		sent = append(sent, w.done.ID)
	}
	found, err := w.q.put(j, sent...)
	if err == nil {
		w.printed()
	}
	return found, err
}

// flush writes the "sent" of the job the printer last confirmed.
func (w *printerWorker) flush() {
	if w.done == nil {
		return
	}
	if err := w.q.store.RemoveJob(w.done.ID); err != nil && w.q.opt.OnError != nil {
		// It printed; left "sending", it is asked about after a restart.
		w.q.opt.OnError(*w.done, fmt.Errorf("job %d printed but could not be removed from the queue: %w", w.done.ID, err))
	}
	w.printed()
}

// printed reports the confirmed job once its "sent" was written.
func (w *printerWorker) printed() {
	if w.done == nil {
		return
	}
	j := *w.done
	w.done = nil
	if w.q.opt.OnPrinted != nil {
		w.q.opt.OnPrinted(j)
	}
}

// put writes j over its stored record and removes the jobs in sent, in one durable write.
func (q *Queue) put(j Job, sent ...uint64) (bool, error) {
	rec, err := json.Marshal(j)
	if err != nil {
		return false, fmt.Errorf("print job %d: %w", j.ID, err)
	}
	found, err := q.store.PutJob(j.ID, rec, sent...)
	if err != nil {
		return false, fmt.Errorf("print job %d: storing: %w", j.ID, err)
	}
	return found, nil
}

func (q *Queue) told(j Job) {
	if q.opt.OnUncertain != nil {
		q.opt.OnUncertain(j)
	}
}

func (q *Queue) backoff(attempts int) time.Duration {
	d := q.opt.MinBackoff
	for i := 1; i < attempts && d < q.opt.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, q.opt.MaxBackoff)
}
