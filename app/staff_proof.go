package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"
)

// StaffProof shows the cloud that a change was made by a signed-in staff
// member: an HMAC-SHA256, under the key the member's PIN unlocks, of the
// terminal's token hash, the change's mid, the member, the time and the
// command. The mid and token hash make it unusable on another change or
// another terminal.
type StaffProof struct {
	Staff string `json:"staff"`
	Sig   string `json:"sig"`
}

// TerminalBinding is what a proof binds to: the hex SHA-256 of the
// terminal's token, which the cloud keeps as the token's hash.
func TerminalBinding(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func proofMAC(key []byte, binding string, mid uint64, staff string, at time.Time, cmd Command) []byte {
	body, _ := json.Marshal(cmd)
	sum := sha256.Sum256(body)
	m := hmac.New(sha256.New, key)
	for _, part := range []string{"kasir mutation v1", binding, strconv.FormatUint(mid, 10), staff, at.UTC().Format(time.RFC3339Nano), hex.EncodeToString(sum[:])} {
		m.Write([]byte(part))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// SignChange proves one change by the member holding key.
func SignChange(key []byte, binding string, mid uint64, staff string, at time.Time, cmd Command) *StaffProof {
	return &StaffProof{Staff: staff, Sig: hex.EncodeToString(proofMAC(key, binding, mid, staff, at, cmd))}
}

// Verify reports whether the proof was made with key for exactly this change.
func (p StaffProof) Verify(key []byte, binding string, mid uint64, at time.Time, cmd Command) bool {
	sig, err := hex.DecodeString(p.Sig)
	if err != nil || len(key) == 0 {
		return false
	}
	return hmac.Equal(sig, proofMAC(key, binding, mid, p.Staff, at, cmd))
}

// SignInProof is what a terminal sends when it asks the cloud to confirm a
// sign-in: an HMAC of the terminal binding and a nonce the terminal picked.
func SignInProof(key []byte, binding, nonce string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("kasir sign-in v1\x00" + binding + "\x00" + nonce))
	return hex.EncodeToString(m.Sum(nil))
}

// CheckSignInProof reports whether sig is SignInProof(key, binding, nonce).
func CheckSignInProof(key []byte, binding, nonce, sig string) bool {
	got, err := hex.DecodeString(sig)
	if err != nil || len(key) == 0 {
		return false
	}
	want, _ := hex.DecodeString(SignInProof(key, binding, nonce))
	return hmac.Equal(got, want)
}

// Keyring holds the signing keys of the staff signed in at this terminal,
// only in memory and only while they are signed in; the terminal signs each
// change they make with it.
type Keyring struct {
	mu      sync.Mutex
	binding string
	keys    map[string][]byte
}

// NewKeyring is an empty keyring.
func NewKeyring() *Keyring { return &Keyring{keys: map[string][]byte{}} }

// Bind sets the terminal token proofs are bound to; without one nothing is signed.
func (k *Keyring) Bind(token string) {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.binding = ""
	if token != "" {
		k.binding = TerminalBinding(token)
	}
}

// Binding is the terminal binding proofs are made for ("" when unbound).
func (k *Keyring) Binding() string {
	if k == nil {
		return ""
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.binding
}

// Remember keeps a signed-in member's key (from SignIn or Unlock).
func (k *Keyring) Remember(s Staff) {
	if k == nil || !s.CanSign() {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.keys[s.Name] = append([]byte(nil), s.Key...)
}

// Forget drops a member's key when they sign out.
func (k *Keyring) Forget(name string) {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.keys, name)
}

// Key returns a signed-in member's key.
func (k *Keyring) Key(name string) ([]byte, bool) {
	if k == nil {
		return nil, false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	key, ok := k.keys[name]
	return key, ok
}

// ApproverOf is the owner a command says allowed it (an in-store sale's
// override), or "" when it names none. The cloud takes that name only with
// the approver's own proof.
func ApproverOf(cmd Command) string {
	if cmd.Action != ActionPlace || cmd.Args.Order == nil || cmd.Args.Order.Sale == nil {
		return ""
	}
	return strings.TrimSpace(cmd.Args.Order.Sale.ApprovedBy)
}

// approver signs a journaled change for the owner it names as approver,
// when that owner's key is held here (they typed their PIN to allow it).
func (k *Keyring) approver(cmd Command, at time.Time) func(mid uint64) *StaffProof {
	name := ApproverOf(cmd)
	if name == "" {
		return nil
	}
	return k.prover(cmd, Actor{Staff: name}, at)
}

// prover signs a journaled change once its mid is known, or returns nil
// when the actor holds no key here (the cloud then treats it as a cashier's).
func (k *Keyring) prover(cmd Command, actor Actor, at time.Time) func(mid uint64) *StaffProof {
	key, ok := k.Key(actor.Staff)
	binding := k.Binding()
	if !ok || binding == "" {
		return nil
	}
	return func(mid uint64) *StaffProof { return SignChange(key, binding, mid, actor.Staff, at, cmd) }
}
