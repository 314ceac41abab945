package cloud

import (
	"time"

	"github.com/kasir/pos/app"
)

// OwnerRequest is a request the member signed in at a terminal signs
// (wire.HeaderStaff, HeaderStaffAt, HeaderStaffProof over the path and body).
type OwnerRequest struct {
	Terminal *Terminal
	// Staff, At and Proof are the headers as sent.
	Staff, At, Proof string
	Path             string
	Body             []byte
}

// CheckOwner lets a terminal's request act on the shop's accounts only for
// the shop's owner: the named member's proof (their key, this terminal,
// this path and body, a time within app.RequestProofWindow) holds, and the
// role the cloud keeps for that member is owner, so a terminal token alone
// reads no account. Errors: EForbidden, app.CheckRequest's.
func (s *Server) CheckOwner(req OwnerRequest) error {
	at, err := time.Parse(time.RFC3339Nano, req.At)
	if err != nil {
		return app.Errorf(app.EForbidden, "the request carries no staff signature")
	}
	member, err := s.staffMember(req.Terminal.Shop, req.Staff)
	if err != nil {
		return err
	}
	if err := app.CheckRequest(member.Key, req.Terminal.TokenHash, req.Staff, at, s.now(), req.Path, req.Body, req.Proof); err != nil {
		return err
	}
	if member.Role != app.RoleOwner {
		return app.Errorf(app.EForbidden, "only the owner may see and change the shop's accounts")
	}
	return nil
}

// MaskedAccounts lists the shop's accounts, secrets masked. Errors: the
// server runs without a secrets key, ENotFound (shop).
func (s *Server) MaskedAccounts(shop string) ([]MaskedAccount, error) {
	if s.accounts == nil {
		return nil, errNoAccounts()
	}
	return s.accounts.Masked(shop)
}
