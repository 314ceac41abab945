// Package cloud is the shop's authority: it receives channel webhooks,
// applies terminal mutations with app's rules, keeps each shop's change log,
// and streams it to the shop's terminals (see docs/sync-protocol.md).
package cloud

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// Shop is one tenant: its webhook secrets and the currency its rules use.
type Shop struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	Currency  app.Currency `json:"currency"`
	Secrets   Secrets      `json:"secrets"`
	CreatedAt time.Time    `json:"created_at"`
}

// Policy is the rule book the shop's changes run under.
func (s *Shop) Policy() app.Policy {
	p := app.DefaultPolicy()
	if s.Currency != "" {
		p.Currency = s.Currency
	}
	return p
}

// ShopPolicy is the rule book a shop's changes run under, read in tx: the
// rules its owner set from a terminal, or the defaults in the shop's currency.
func ShopPolicy(tx ShopTx, shop *Shop) (app.Policy, error) { return shopPolicy(tx, shop) }

// Terminal is one paired device. Only the SHA-256 of its token is kept.
type Terminal struct {
	ID        string    `json:"id"`
	Shop      string    `json:"shop"`
	Name      string    `json:"name"`
	TokenHash string    `json:"token_hash"`
	Revoked   bool      `json:"revoked,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ShopTx is one atomic unit of work on one shop: app.Tx for the rules, plus
// the change log, the per-terminal mutation ledger and webhook dedupe.
type ShopTx interface {
	app.Tx
	// AppendChange gives c the next sequence of the shop's log and stores it.
	AppendChange(c *wire.Change) (uint64, error)
	// Head is the newest sequence of the shop's log (0 when empty).
	Head() uint64
	// LastMid is the highest mid applied for the terminal.
	LastMid(terminal string) (uint64, error)
	// StoredResult returns the verdict kept for a mid, or nil when it was pruned.
	StoredResult(terminal string, mid uint64) (*wire.Result, error)
	// PutResult keeps r and raises the terminal's last mid to r.Mid.
	PutResult(terminal string, r *wire.Result) error
	// Delivered reports whether a webhook delivery key was seen.
	Delivered(key string) (bool, error)
	// MarkDelivered records a delivery key so a replay is a no-op.
	MarkDelivered(key string, at time.Time) error
	// Policy is the rules the shop's owner set, or nil for the defaults.
	Policy() (*app.Policy, error)
	// PutPolicy keeps the shop's rules.
	PutPolicy(p app.Policy) error
	// Quarantined is the last list of changes the terminal reported it could not store.
	Quarantined(terminal string) ([]wire.Quarantined, error)
	// PutQuarantined keeps the terminal's list (an empty one deletes it).
	PutQuarantined(terminal string, items []wire.Quarantined) error
	// StaffTx is the shop's staff list (staff.go).
	StaffTx
	// StockHistoryTx is each product's stock history (stock_history.go).
	StockHistoryTx
	// ListingTx is the shop's marketplace listings (listings.go).
	ListingTx
}

// ResultsKept is how many verdicts per terminal survive; a terminal only
// ever resends above the last mid the welcome told it, so old ones are dead weight.
const ResultsKept = 4096

// NoShop is the ENotFound error of an unknown shop, the same from every backend.
func NoShop(id string) error { return app.Errorf(app.ENotFound, "shop %s not found", id) }

// OrderPrefetcher is a backend that can read and decode orders on another
// core while a write transaction applies them (cloud/bolt): the sweep
// names its due orders before rejecting them. done ends the prefetch; a
// transaction never trusts a prefetched order whose bytes have changed.
type OrderPrefetcher interface {
	PrefetchOrders(shop string, ids []string) (done func())
}

// Backend is the cloud's persistence: cloud/bolt for one machine,
// cloud/postgres for several; the wiring opens one (see Wiring). Any
// implementation must keep each shop's log dense and ordered by sequence.
type Backend interface {
	// Update runs fn in one write transaction on the shop; concurrent calls
	// may share a commit, so fn may run more than once and must reset its outputs.
	Update(shop string, fn func(ShopTx) error) error
	// View runs fn in a read-only transaction on the shop.
	View(shop string, fn func(ShopTx) error) error
	// ChangesAfter returns up to limit stored changes with sequence > after,
	// the shop's head, and the oldest sequence still retained (0 when empty).
	ChangesAfter(shop string, after uint64, limit int) (items []json.RawMessage, head, oldest uint64, err error)
	// Snapshot is every order and product of the shop at one sequence.
	Snapshot(shop string) (*wire.Snapshot, error)
	// Prune drops changes beyond the newest keep, and deliveries older than before.
	Prune(shop string, keep uint64, before time.Time) error

	// AddShop stores a new shop; its bucket of orders starts empty.
	AddShop(s *Shop) error
	// Shop returns a shop or an ENotFound error.
	Shop(id string) (*Shop, error)
	// Shops lists every shop.
	Shops() ([]*Shop, error)
	// PutTerminal adds or replaces a terminal and its token index.
	PutTerminal(t *Terminal) error
	// Terminal returns a terminal or an ENotFound error.
	Terminal(id string) (*Terminal, error)
	// TerminalByToken finds the terminal whose token hashes to hash, or ENotFound.
	TerminalByToken(hash string) (*Terminal, error)
	// Terminals lists a shop's terminals.
	Terminals(shop string) ([]*Terminal, error)
	// FollowerLog keeps every follower's place in every shop.
	FollowerLog
	// OrderIndex answers questions about a shop's orders from indexes.
	OrderIndex
	// AccountVault keeps shops' sealed accounts of the outside world.
	AccountVault
	// ShipmentIndex finds a courier push's order (shipments.go).
	ShipmentIndex
	// PageTokenIndex finds a counter sale by its page token (pagetokens.go).
	PageTokenIndex
	Close() error
}

// OrderIndex is what the cloud's own order questions and its deadline
// sweep read; both backends keep the indexes in the order's transaction.
type OrderIndex interface {
	// FindOrders lists the shop's orders newest first; it reads Statuses,
	// Text, Offset and Limit (0: every match). Errors: EInvalid, ENotFound (shop).
	FindOrders(shop string, f app.Filter) (app.Page, error)
	// OrderByRef returns an order, by id or else by number, with its history. Errors: ENotFound.
	OrderByRef(shop, ref string) (*app.Order, error)
	// DueForAutoReject lists New orders whose deadline is at or before now, oldest first.
	DueForAutoReject(shop string, now time.Time, limit int) ([]string, error)
}

// AddSnapshotOrder decodes one stored order into a snapshot; both backends
// walk their own storage and feed it here.
func AddSnapshotOrder(snap *wire.Snapshot, data []byte) error {
	var o app.Order
	if err := json.Unmarshal(data, &o); err != nil {
		return fmt.Errorf("snapshot: stored order: %w", err)
	}
	snap.Orders = append(snap.Orders, &o)
	return nil
}

// AddSnapshotProduct decodes one stored product into a snapshot.
func AddSnapshotProduct(snap *wire.Snapshot, data []byte) error {
	var p app.Product
	if err := json.Unmarshal(data, &p); err != nil {
		return fmt.Errorf("snapshot: stored product: %w", err)
	}
	snap.Products = append(snap.Products, &p)
	return nil
}
