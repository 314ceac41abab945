package channel

import "github.com/kasir/pos/outbound"

// The platforms' outbound calls are outbound's, which the courier adapters
// share; these names keep the adapters' spelling (channel.Caller…).
type (
	// Caller makes outbound calls to a platform; see outbound.Caller.
	Caller = outbound.Caller
	// Request is one call in the platform's own shape; see outbound.Request.
	Request = outbound.Request
	// Refusal is an answer the platform will give again; see outbound.Refusal.
	Refusal = outbound.Refusal
	// Unavailable is a call that did not get through; see outbound.Unavailable.
	Unavailable = outbound.Unavailable
)

// BodyMax is how much of a platform's answer an error keeps.
const BodyMax = outbound.BodyMax

// NewCaller has the defaults the connectors use; see outbound.NewCaller.
func NewCaller() *Caller { return outbound.NewCaller() }

// IsRefusal tells a lasting refusal from a passing failure.
func IsRefusal(err error) (*Refusal, bool) { return outbound.IsRefusal(err) }

// Truncate keeps at most BodyMax bytes of b, on a rune boundary.
func Truncate(b []byte) string { return outbound.Truncate(b) }
