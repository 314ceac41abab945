// Package app is the point-of-sale domain: orders, their life cycle, stock,
// and the use cases that staff and channels drive. It knows nothing of Fyne,
// bbolt or the network, so the terminal and the cloud apply one rule book.
package app

import (
	"errors"
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

// Error is an application error: a machine code and a message staff can
// read, kept as a key and arguments so each reader sees it in their language.
type Error struct {
	Code string
	// Message is the English text, for logs and peers that read only text.
	Message string
	// Field is the input the error is about, in words ("Recipient name"); empty when none.
	Field Word
	// Msg is the message as key and arguments; zero for an error rebuilt from text alone.
	Msg Message
}

func (e *Error) Error() string { return e.Message }

// Text is the error as a message: the field's word, then the reason.
func (e *Error) Text() Message {
	if e.Msg.IsZero() {
		return Message{Key: strings.ReplaceAll(e.Message, "%", "%%")}
	}
	if e.Field != "" {
		return Message{Key: "%s %s", Args: []any{fieldText(string(e.Field)), e.Msg}}
	}
	return e.Msg
}

// Errorf builds an *Error with the given code. format is the message key:
// keep it constant and give it an Indonesian text in messages_id.go.
func Errorf(code, format string, args ...any) *Error {
	m := Text(format, args...)
	return &Error{Code: code, Message: m.String(), Msg: m}
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

// ErrorMessage returns the text to show staff in English: the message of an
// application error, and "Internal error" for anything unexpected (which the caller logs).
func ErrorMessage(err error) string { return ErrorMessageIn(err, English) }

// ErrorMessageIn is ErrorMessage in the staff's language.
func ErrorMessageIn(err error, lang Lang) string {
	if err == nil {
		return ""
	}
	if ErrorCode(err) == EInternal {
		return Word("Internal error").In(lang)
	}
	return MessageOf(err).In(lang)
}

// TransitionError says an action is not allowed in the order's current status.
type TransitionError struct {
	OrderID string
	Number  string
	Status  Status
	Action  Action
	// Reason says why, when the status alone does not; zero when it does.
	Reason Message
}

func (e *TransitionError) Error() string { return e.Text().String() }

// Text is the refusal in words: the order, its status and what cannot be done.
func (e *TransitionError) Text() Message {
	name := e.Number
	if name == "" {
		name = e.OrderID
	}
	if e.Reason.IsZero() {
		return Text("Order %s is %s: cannot %s", name, e.Status, e.Action)
	}
	return Text("Order %s is %s: cannot %s (%s)", name, e.Status, e.Action, e.Reason)
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

func (e *StockError) Error() string { return e.Text().String() }

// Text names each short SKU with what was wanted and what is there.
func (e *StockError) Text() Message {
	parts := make([]Message, len(e.Shortages))
	for i, s := range e.Shortages {
		parts[i] = Text("%s: %d wanted, %d available", s.SKU, s.Wanted, s.Available)
	}
	return Text("Not enough stock for %s", joinText(parts...))
}

// FieldError says which field of an input is wrong and why. field is the
// field in words staff know ("Recipient name"), or a field path from a wire
// format ("lines[0].qty") that fieldText says in words ("Line 1 quantity");
// reason follows it ("must not be empty"). Both are message keys.
func FieldError(field, reason string, args ...any) *Error {
	m := Text(reason, args...)
	e := &Error{Code: EInvalid, Field: Word(field), Msg: m}
	e.Message = e.Text().String()
	return e
}
