// Package app is the point-of-sale domain: orders, their life cycle, stock,
// and the use cases that staff and channels drive. It knows nothing of Fyne,
// bbolt or the network, so the terminal and the cloud apply one rule book.
package app

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes shared by every layer; the sync protocol and the CLI report them verbatim.
const (
	EInvalid           = "invalid"
	ENotFound          = "not_found"
	EConflict          = "conflict"
	EForbidden         = "forbidden"
	EInternal          = "internal"
	EInvalidTransition = "INVALID_TRANSITION"
	EAlreadyAccepted   = "ALREADY_ACCEPTED"
	EOutOfStock        = "OUT_OF_STOCK"
)

// Error is an application error: a machine code and a message staff can read.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, or EInternal for anything else.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var te *TransitionError
	if errors.As(err, &te) {
		return te.Code()
	}
	var se *StockError
	if errors.As(err, &se) {
		return EOutOfStock
	}
	return EInternal
}

// ErrorMessage returns the text to show staff: the message of an application
// error, and "Internal error" for anything unexpected (which the caller logs).
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if ErrorCode(err) == EInternal {
		return "Internal error"
	}
	return err.Error()
}

// TransitionError says an action is not allowed in the order's current status.
type TransitionError struct {
	OrderID string
	Number  string
	Status  Status
	Action  Action
	Reason  string
}

func (e *TransitionError) Error() string {
	name := e.Number
	if name == "" {
		name = e.OrderID
	}
	msg := fmt.Sprintf("order %s is %s: cannot %s", name, e.Status.Label(), e.Action.Label())
	if e.Reason != "" {
		msg += " (" + e.Reason + ")"
	}
	return msg
}

// Code tells a sync peer why: accepting twice is ALREADY_ACCEPTED, the rest INVALID_TRANSITION.
func (e *TransitionError) Code() string {
	accepting := e.Action == ActionAccept || e.Action == ActionCreatePackage || e.Action == ActionAcceptPayment
	if accepting && e.Status != StatusNew && e.Status != StatusPaymentReview && e.Status != StatusCancelled {
		return EAlreadyAccepted
	}
	return EInvalidTransition
}

// Shortage is one SKU that lacks stock for an order.
type Shortage struct {
	SKU       string
	Wanted    int
	Available int
}

// StockError lists every SKU an order cannot be allocated from.
type StockError struct {
	OrderID   string
	Shortages []Shortage
}

func (e *StockError) Error() string {
	parts := make([]string, len(e.Shortages))
	for i, s := range e.Shortages {
		parts[i] = fmt.Sprintf("%s: %d wanted, %d available", s.SKU, s.Wanted, s.Available)
	}
	return "Not enough stock for " + strings.Join(parts, "; ")
}

// FieldError says which field of an input is wrong and why.
func FieldError(field, reason string, args ...any) *Error {
	return &Error{Code: EInvalid, Message: field + ": " + fmt.Sprintf(reason, args...)}
}
