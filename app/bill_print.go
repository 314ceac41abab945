package app

// What staff are told while a platform's airway bill is on its way to the
// label printer: the terminal queues the bill before it has it, and asks
// the cloud for it until it comes.

// EBillWaiting is the code of an airway bill that cannot be had now but
// may be later: its print job waits and retries (BillWaiting).
const EBillWaiting = "BILL_WAITING"

// BillWaiting says why a queued airway bill from source (BillSource) has
// not printed yet, from the error of asking for it; the job is retried.
func BillWaiting(source string, err error) *Error {
	who := BillIssuer(source)
	switch ErrorCode(err) {
	case EUnreachable:
		return Errorf(EBillWaiting, "Waiting for %s's airway bill: cloud unreachable", who)
	case EConflict:
		return Errorf(EBillWaiting, "Waiting for %s's airway bill: %s has not made it yet", who, who)
	case EForbidden:
		return Errorf(EBillWaiting, "Waiting for %s's airway bill: the cloud refused this tablet (pair it again in Settings)", who)
	}
	return Errorf(EBillWaiting, "Waiting for %s's airway bill: %s", who, err)
}

// BillNotPrinted says that a queued airway bill from source will not print,
// and why; the job has left the queue, and staff may print it again.
func BillNotPrinted(source string, err error) *Error {
	code := ErrorCode(err)
	if code == EInternal {
		code = EInvalid
	}
	return Errorf(code, "%s's airway bill could not be printed: %s", BillIssuer(source), err)
}

// BillLasting reports whether an error of asking for a bill is one that
// asking again will not mend: the platform refused it, or the order has no
// platform bill. Anything else (unreachable, not ready) is worth a retry.
func BillLasting(err error) bool {
	switch ErrorCode(err) {
	case ERefused, ENotFound, EInvalid:
		return true
	}
	return false
}
