package app

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"strings"
)

// Staff is a person who signs in at a terminal with a PIN.
type Staff struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Salt and Hash are PBKDF2-SHA256 of the PIN; the PIN itself is never stored.
	Salt []byte `json:"salt"`
	Hash []byte `json:"hash"`
}

// pinIterations makes guessing a stolen 4-digit hash cost seconds, not microseconds,
// while a sign-in on a tablet stays well under 100 ms.
const pinIterations = 60000

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

// NewStaff validates the name, role and PIN and returns the member with a hashed PIN.
func NewStaff(name string, role Role, pin string) (Staff, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 60 {
		return Staff{}, FieldError("name", "must be 1 to 60 characters")
	}
	if role != RoleOwner && role != RoleCashier && role != RolePacker {
		return Staff{}, FieldError("role", "must be owner, cashier or packer, got %q", string(role))
	}
	if err := ValidatePIN(pin); err != nil {
		return Staff{}, err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return Staff{}, err
	}
	h, err := pbkdf2.Key(sha256.New, pin, salt, pinIterations, 32)
	if err != nil {
		return Staff{}, err
	}
	return Staff{Name: name, Role: role, Salt: salt, Hash: h}, nil
}

// CheckPIN reports whether pin is this member's PIN, in constant time.
func (s Staff) CheckPIN(pin string) bool {
	if ValidatePIN(pin) != nil || len(s.Salt) == 0 {
		return false
	}
	h, err := pbkdf2.Key(sha256.New, pin, s.Salt, pinIterations, 32)
	return err == nil && subtle.ConstantTimeCompare(h, s.Hash) == 1
}

// SignIn finds the member whose PIN this is. Two members with one PIN is
// refused when adding them, so the match is unique.
func SignIn(staff []Staff, pin string) (Staff, error) {
	for _, s := range staff {
		if s.CheckPIN(pin) {
			return s, nil
		}
	}
	return Staff{}, Errorf(EForbidden, "wrong PIN")
}

// AddStaff appends a member, refusing a duplicate name or a PIN another member uses.
func AddStaff(staff []Staff, name string, role Role, pin string) ([]Staff, error) {
	s, err := NewStaff(name, role, pin)
	if err != nil {
		return staff, err
	}
	for _, o := range staff {
		if strings.EqualFold(o.Name, s.Name) {
			return staff, FieldError("name", "%s is already on the staff list", o.Name)
		}
		if o.CheckPIN(pin) {
			return staff, FieldError("pin", "another staff member uses this PIN")
		}
	}
	return append(staff, s), nil
}

// Actor is this member acting at a terminal.
func (s Staff) Actor(terminal string) Actor {
	return Actor{Staff: s.Name, Role: s.Role, Terminal: terminal}
}
