package app

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"strings"
)

// Staff is a person who signs in at a terminal with a PIN. The cloud keeps
// the list and passes it to every terminal (without Key).
type Staff struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Salt and Hash check the PIN; the PIN itself is never stored. Under
	// scheme 0 Hash is the PBKDF2 secret itself, under staffScheme it is a
	// check value that says nothing about Key.
	Salt []byte `json:"salt"`
	Hash []byte `json:"hash"`
	V    int    `json:"v,omitempty"`
	// Key signs this member's changes. Only the cloud stores it; a terminal
	// derives it from the typed PIN and holds it for one sign-in.
	Key []byte `json:"-"`
}

// pinIterations makes guessing a stolen 4-digit hash cost seconds, not microseconds,
// while a sign-in on a tablet stays well under 100 ms.
const pinIterations = 60000

// staffScheme is the hashing scheme whose members can sign changes.
const staffScheme = 2

// SettingStaff is the settings key that holds the staff list.
const SettingStaff = "staff"

// ValidatePIN accepts 4 to 6 digits.
func ValidatePIN(pin string) error {
	if len(pin) < 4 || len(pin) > 6 {
		return FieldError("pin", "must be 4 to 6 digits")
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return FieldError("pin", "must be digits only")
		}
	}
	return nil
}

// NewStaffSalt is a fresh salt for a member's PIN.
func NewStaffSalt() ([]byte, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	return salt, nil
}

// NewStaff validates the name, role and PIN and returns the member with a hashed PIN.
func NewStaff(name string, role Role, pin string) (Staff, error) {
	salt, err := NewStaffSalt()
	if err != nil {
		return Staff{}, err
	}
	return newStaff(name, role, pin, salt)
}

func newStaff(name string, role Role, pin string, salt []byte) (Staff, error) {
	name = strings.TrimSpace(name)
	if err := validateStaffName(name); err != nil {
		return Staff{}, err
	}
	if role != RoleOwner && role != RoleCashier && role != RolePacker {
		return Staff{}, FieldError("role", "must be owner, cashier or packer, got %q", string(role))
	}
	if err := ValidatePIN(pin); err != nil {
		return Staff{}, err
	}
	if len(salt) < 16 || len(salt) > 64 {
		return Staff{}, FieldError("salt", "must be 16 to 64 bytes")
	}
	secret, err := pinSecret(pin, salt)
	if err != nil {
		return Staff{}, err
	}
	return Staff{Name: name, Role: role, Salt: append([]byte(nil), salt...), Hash: pinCheck(secret), V: staffScheme, Key: signingKey(secret)}, nil
}

func validateStaffName(name string) error {
	if name == "" || len(name) > 60 {
		return FieldError("name", "must be 1 to 60 characters")
	}
	for _, r := range name {
		if r < ' ' || r == 0x7f {
			return FieldError("name", "must not contain control characters")
		}
	}
	return nil
}

func pinSecret(pin string, salt []byte) ([]byte, error) {
	return pbkdf2.Key(sha256.New, pin, salt, pinIterations, 32)
}

// pinCheck and signingKey are two one-way views of the PIN secret, so a
// terminal holding the check value cannot compute the signing key from it.
func pinCheck(secret []byte) []byte {
	h := sha256.New()
	h.Write([]byte("kasir pin check\x00"))
	h.Write(secret)
	return h.Sum(nil)
}

func signingKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("kasir staff signing key"))
	return m.Sum(nil)
}

// Unlock checks pin in constant time and returns the member holding the
// signing key the PIN unlocks (for a scheme-0 record, LegacyKey's).
func (s Staff) Unlock(pin string) (Staff, bool) {
	if ValidatePIN(pin) != nil || len(s.Salt) == 0 {
		return Staff{}, false
	}
	secret, err := pinSecret(pin, s.Salt)
	if err != nil {
		return Staff{}, false
	}
	if s.V < staffScheme {
		if subtle.ConstantTimeCompare(secret, s.Hash) != 1 {
			return Staff{}, false
		}
		s.Key = signingKey(secret)
		return s, true
	}
	if subtle.ConstantTimeCompare(pinCheck(secret), s.Hash) != 1 {
		return Staff{}, false
	}
	s.Key = signingKey(secret)
	return s, true
}

// LegacyKey is the signing key of a scheme-0 record (kept on a terminal
// before the cloud kept staff), which its stored hash gives away: such a
// member signs no more safely than before, until they are added again.
func LegacyKey(s Staff) []byte {
	if s.V >= staffScheme || len(s.Hash) == 0 {
		return nil
	}
	return signingKey(s.Hash)
}

// CheckPIN reports whether pin is this member's PIN, in constant time.
func (s Staff) CheckPIN(pin string) bool {
	_, ok := s.Unlock(pin)
	return ok
}

// CanSign reports whether changes by this member can be proven to the cloud.
func (s Staff) CanSign() bool { return len(s.Key) > 0 }

// Public is the member as terminals receive it: without the signing key.
func (s Staff) Public() Staff {
	s.Key = nil
	return s
}

// PublicStaff strips every signing key from a list.
func PublicStaff(list []Staff) []Staff {
	out := make([]Staff, len(list))
	for i, s := range list {
		out[i] = s.Public()
	}
	return out
}

// SignIn finds the member whose PIN this is, holding the key it unlocks.
// Two members with one PIN is refused when adding them, so the match is unique.
func SignIn(staff []Staff, pin string) (Staff, error) {
	for _, s := range staff {
		if m, ok := s.Unlock(pin); ok {
			return m, nil
		}
	}
	return Staff{}, errWrongPIN
}

var errWrongPIN = Errorf(EForbidden, "wrong PIN")

// IsWrongPIN reports whether err is SignIn's refusal of a PIN nobody has.
func IsWrongPIN(err error) bool { return errors.Is(err, errWrongPIN) }

// AddStaff appends a member, refusing a duplicate name or a PIN another member uses.
func AddStaff(staff []Staff, name string, role Role, pin string) ([]Staff, error) {
	salt, err := NewStaffSalt()
	if err != nil {
		return staff, err
	}
	return ChangeStaff(staff, ActionAddStaff, StaffChange{Name: name, Role: role, PIN: pin, Salt: salt})
}

// RemoveStaff deletes a member, never the last owner, so the shop cannot lock itself out.
func RemoveStaff(staff []Staff, name string) ([]Staff, error) {
	return ChangeStaff(staff, ActionRemoveStaff, StaffChange{Name: name})
}

// FindStaff returns the member with this name (names are unique, ignoring case).
func FindStaff(staff []Staff, name string) (Staff, bool) {
	for _, s := range staff {
		if strings.EqualFold(s.Name, strings.TrimSpace(name)) {
			return s, true
		}
	}
	return Staff{}, false
}

// Actor is this member acting at a terminal.
func (s Staff) Actor(terminal string) Actor {
	return Actor{Staff: s.Name, Role: s.Role, Terminal: terminal}
}

// StaffChange is what add_staff and remove_staff carry. The PIN travels to
// the cloud once, inside the owner's signed change, so the cloud can refuse
// a PIN another member uses; Salt is chosen by the terminal so the key it
// derives is the one the cloud keeps.
type StaffChange struct {
	Name string `json:"name"`
	Role Role   `json:"role,omitempty"`
	PIN  string `json:"pin,omitempty"`
	Salt []byte `json:"salt,omitempty"`
}

// Validate checks the change's shape for action a.
func (c StaffChange) Validate(a Action) error {
	if err := validateStaffName(strings.TrimSpace(c.Name)); err != nil {
		return err
	}
	if a == ActionRemoveStaff {
		return nil
	}
	if c.Role != RoleOwner && c.Role != RoleCashier && c.Role != RolePacker {
		return FieldError("role", "must be owner, cashier or packer, got %q", string(c.Role))
	}
	if err := ValidatePIN(c.PIN); err != nil {
		return err
	}
	if len(c.Salt) < 16 || len(c.Salt) > 64 {
		return FieldError("salt", "must be 16 to 64 bytes")
	}
	return nil
}

// ChangeStaff applies one staff change to a list and returns the new list;
// the input is not modified. Errors: EInvalid (duplicate name or PIN),
// ENotFound (removing someone not on the list), EConflict (the last owner).
func ChangeStaff(staff []Staff, a Action, c StaffChange) ([]Staff, error) {
	if err := c.Validate(a); err != nil {
		return staff, err
	}
	switch a {
	case ActionAddStaff:
		s, err := newStaff(c.Name, c.Role, c.PIN, c.Salt)
		if err != nil {
			return staff, err
		}
		for _, o := range staff {
			if strings.EqualFold(o.Name, s.Name) {
				return staff, FieldError("name", "%s is already on the staff list", o.Name)
			}
			if o.CheckPIN(c.PIN) {
				return staff, FieldError("pin", "another staff member uses this PIN")
			}
		}
		return append(append([]Staff(nil), staff...), s), nil
	case ActionRemoveStaff:
		var kept []Staff
		owners, found := 0, false
		for _, o := range staff {
			if strings.EqualFold(o.Name, strings.TrimSpace(c.Name)) {
				found = true
				continue
			}
			kept = append(kept, o)
			if o.Role == RoleOwner {
				owners++
			}
		}
		if !found {
			return staff, Errorf(ENotFound, "%s is not on the staff list", c.Name)
		}
		if owners == 0 {
			return staff, Errorf(EConflict, "the shop needs at least one owner")
		}
		return kept, nil
	}
	return staff, FieldError("name", "unknown staff action %q", string(a))
}
