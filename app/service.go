package app

import (
	"sync"
	"time"
)

// Service is the terminal's use cases over its store. The cloud calls
// Execute directly inside its own transactions; both apply the same rules.
type Service struct {
	Store  Store
	Policy Policy
	// Now is the clock; tests inject one.
	Now func() time.Time
	// Journal runs inside the same transaction as every applied command, so a
	// terminal can queue it for the cloud atomically with the local change.
	// It is set at construction (WithJournal); the terminal's store.NewService
	// journals into the outbox.
	Journal func(tx Tx, m Journaled) error
	// Keys signs each journaled change by a signed-in member, so the cloud
	// can trust who made it.
	Keys *Keyring

	mu sync.RWMutex
	// observers are told of every committed change (Observe).
	observers []func(res *Result)
}

// ServiceOption is one dependency a Service is built with, so that nothing
// is wired by reassigning its fields afterwards.
type ServiceOption func(*Service)

// WithJournal journals every applied command in its own transaction.
func WithJournal(j func(tx Tx, m Journaled) error) ServiceOption {
	return func(s *Service) { s.Journal = j }
}

// WithClock sets the clock the rules read.
func WithClock(now func() time.Time) ServiceOption {
	return func(s *Service) { s.Now = now }
}

// NewService wires the use cases to a store, with the wall clock unless an
// option says otherwise.
func NewService(st Store, pol Policy, opts ...ServiceOption) *Service {
	s := &Service{Store: st, Policy: pol, Now: time.Now, Keys: NewKeyring()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Observe adds fn to those told of every committed change of an order,
// after the commit, in the order they were added: the sync client sends at
// once, the running terminal prints and refreshes its screens.
func (s *Service) Observe(fn func(res *Result)) {
	s.mu.Lock()
	s.observers = append(s.observers, fn)
	s.mu.Unlock()
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Journaled is one applied command as the cloud must replay it: the command
// complete with this terminal's defaults, who did it and when.
type Journaled struct {
	Cmd    Command
	Actor  Actor
	At     time.Time
	Result *Result
	// Prove, when set, signs the change once the journal knows its mid.
	Prove func(mid uint64) *StaffProof
	// Approve, when set, signs it for the owner who approved it (ApproverOf).
	Approve func(mid uint64) *StaffProof
}

// SetPolicy replaces the shop's settings.
func (s *Service) SetPolicy(p Policy) {
	s.mu.Lock()
	s.Policy = p
	s.mu.Unlock()
}

// SharePolicy applies the shop's new rules here and journals them for the
// cloud, which decides channel orders under them and passes them to every
// terminal. Owner only. The caller persists the returned policy.
func (s *Service) SharePolicy(p Policy, actor Actor) (Policy, error) {
	cur := s.CurrentPolicy()
	var res *Result
	err := s.Store.Update(func(tx Tx) error {
		var err error
		res, err = s.apply(tx, cur, Command{Action: ActionSetPolicy, Args: Args{Policy: &p}}, actor, s.now())
		return err
	})
	if err != nil {
		return cur, err
	}
	next := *res.Policy
	next.Terminal = cur.Terminal
	s.SetPolicy(next)
	return next, nil
}

// CurrentPolicy returns the shop's settings.
func (s *Service) CurrentPolicy() Policy {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.Policy
}

// Do applies one command durably and returns what changed.
func (s *Service) Do(cmd Command, actor Actor) (*Result, error) {
	return s.DoAt(cmd, actor, s.now())
}

// DoAt applies one command durably as of now, which the history records:
// the demo shop's past is seeded this way.
func (s *Service) DoAt(cmd Command, actor Actor, now time.Time) (*Result, error) {
	var res *Result
	pol := s.CurrentPolicy()
	err := s.Store.Update(func(tx Tx) error {
		var err error
		res, err = s.apply(tx, pol, cmd, actor, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.changed(res)
	return res, nil
}

func (s *Service) apply(tx Tx, pol Policy, cmd Command, actor Actor, now time.Time) (*Result, error) {
	cmd = pol.resolve(cmd)
	res, err := Execute(tx, pol, cmd, actor, now)
	if err != nil {
		return nil, err
	}
	if s.Journal != nil {
		if cmd.Action == ActionPlace {
			cmd.OrderID = res.Order.ID
			cmd.Args.Order = res.Order
		}
		if err := s.Journal(tx, Journaled{Cmd: cmd, Actor: actor, At: now, Result: res, Prove: s.Keys.prover(cmd, actor, now), Approve: s.Keys.approver(cmd, now)}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (s *Service) changed(res *Result) {
	if res != nil && res.Order != nil {
		s.mu.RLock()
		observers := s.observers
		s.mu.RUnlock()
		for _, fn := range observers {
			fn(res)
		}
	}
}

// Place records a new order (a manual WhatsApp order, or an in-store sale).
func (s *Service) Place(o *Order, actor Actor) (*Result, error) {
	return s.Do(Command{Action: ActionPlace, Args: Args{Order: o}}, actor)
}

// Order returns one order with its history.
func (s *Service) Order(id string) (*Order, error) { return s.Store.OrderWithHistory(id) }

// Find lists orders; the filter is validated first.
func (s *Service) Find(f Filter) (Page, error) {
	if err := f.Validate(); err != nil {
		return Page{}, err
	}
	if f.Now.IsZero() {
		f.Now = s.now()
	}
	return s.Store.FindOrders(f)
}

// Badges returns the counts for the tab badges as of now.
func (s *Service) Badges() (Badges, error) {
	return s.Store.Badges(s.now(), s.CurrentPolicy().ExpiringWithin)
}
