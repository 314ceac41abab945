package app

// ReprintChoice is the shop's answer, given once in its settings, to a print
// that may have printed: the printer took the bytes of a job but never
// confirmed it (the terminal stopped, or the printer hung), so nobody knows
// whether the paper came out.
type ReprintChoice string

// Ways a station handles a print that may have printed.
const (
	// ReprintAsk sets the job aside and asks staff "print again?" (the default).
	ReprintAsk ReprintChoice = "ask"
	// ReprintAlways prints it again at once, marked COPY.
	ReprintAlways ReprintChoice = "always"
	// ReprintNever does not print it again and counts it as printed, so a
	// shop that would rather check the printer never gets a second label.
	ReprintNever ReprintChoice = "never"
)

// Or returns c, or ReprintAsk when the shop never chose.
func (c ReprintChoice) Or() ReprintChoice {
	if c == "" {
		return ReprintAsk
	}
	return c
}

// Validate refuses anything but ask, always and never (empty means ask).
func (c ReprintChoice) Validate() error {
	switch c {
	case "", ReprintAsk, ReprintAlways, ReprintNever:
		return nil
	}
	return FieldError("reprint_uncertain", "must be ask, always or never, got %q", string(c))
}

// EPrintUncertain marks the question a station asks about a print that may have printed.
const EPrintUncertain = "PRINT_UNCERTAIN"

// PrintUnconfirmed is the Reason of a record_print for a document that may
// have printed, counted as printed without anyone seeing the paper.
const PrintUnconfirmed = "unconfirmed"

// MayHavePrinted is the question staff answer for a job the printer took
// but never confirmed: "Label for #1234 may have printed: print again?".
func MayHavePrinted(doc Document, number string) *Error {
	switch doc {
	case DocLabel:
		return Errorf(EPrintUncertain, "Label for #%s may have printed: print again?", number)
	case DocReceipt:
		return Errorf(EPrintUncertain, "Receipt for #%s may have printed: print again?", number)
	case DocSlip:
		return Errorf(EPrintUncertain, "Packing slip for #%s may have printed: print again?", number)
	}
	return Errorf(EPrintUncertain, "A test page may have printed: print again?")
}

// NotPrintedAgain tells staff that a document that may have printed was
// left alone, as the shop's settings say.
func NotPrintedAgain(doc Document, number string) *Error {
	switch doc {
	case DocLabel:
		return Errorf(EPrintUncertain, "Label for #%s may have printed; not printed again, as the shop's settings say", number)
	case DocReceipt:
		return Errorf(EPrintUncertain, "Receipt for #%s may have printed; not printed again, as the shop's settings say", number)
	case DocSlip:
		return Errorf(EPrintUncertain, "Packing slip for #%s may have printed; not printed again, as the shop's settings say", number)
	}
	return Errorf(EPrintUncertain, "A test page may have printed; not printed again, as the shop's settings say")
}

// PrintedAgain tells staff that a document that may have printed was
// printed again, marked COPY, as the shop's settings say.
func PrintedAgain(doc Document, number string) *Error {
	switch doc {
	case DocLabel:
		return Errorf(EPrintUncertain, "Label for #%s may have printed; printed again, marked COPY, as the shop's settings say", number)
	case DocReceipt:
		return Errorf(EPrintUncertain, "Receipt for #%s may have printed; printed again, marked COPY, as the shop's settings say", number)
	case DocSlip:
		return Errorf(EPrintUncertain, "Packing slip for #%s may have printed; printed again, marked COPY, as the shop's settings say", number)
	}
	return Errorf(EPrintUncertain, "A test page may have printed; printed again, as the shop's settings say")
}
