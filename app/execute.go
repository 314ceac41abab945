package app

import (
	"strings"
	"time"
)

// Result is what a command changed: the order after it, the products whose
// stock moved, and the history it added.
type Result struct {
	Order    *Order     `json:"order"`
	Products []*Product `json:"products,omitempty"`
	Events   []Event    `json:"events,omitempty"`
	// Warnings are things staff should know that did not stop the command.
	Warnings []Message `json:"warnings,omitempty"`
	// Policy is the shop's new rules, after ActionSetPolicy; the caller keeps it.
	Policy *Policy `json:"policy,omitempty"`
	// Staff is the validated staff change, after ActionAddStaff or
	// ActionRemoveStaff; the caller applies it to the list it keeps.
	Staff *StaffChange `json:"-"`
	// StockMoves are the stock history lines an ActionAdjustStock wrote;
	// the caller keeps them in the same transaction as the product.
	StockMoves []StockMove `json:"stock_moves,omitempty"`
}

// change is one command being decided: a draft of the order and its stock.
type change struct {
	tx     Tx
	pol    Policy
	cmd    Command
	actor  Actor
	now    time.Time
	order  *Order
	from   Status
	stock  *stock
	events []Event
	kind   EventKind
	note   Message
	// lines are what a channel update did to the order's lines.
	lines lineChanges
}

// Execute applies one command inside tx: it checks the actor's role and the
// life cycle, computes the new order and stock on copies, and writes them
// only if every rule passed. Errors: EInvalid, ENotFound, EForbidden,
// *TransitionError (INVALID_TRANSITION, ALREADY_ACCEPTED), *StockError (OUT_OF_STOCK).
func Execute(tx Tx, pol Policy, cmd Command, actor Actor, now time.Time) (*Result, error) {
	if tx == nil {
		return nil, errNoTx
	}
	if err := cmd.Validate(); err != nil {
		return nil, err
	}
	if err := actor.Validate(); err != nil {
		return nil, err
	}
	if err := Permit(actor.Role, cmd.Action); err != nil {
		return nil, err
	}
	now = now.UTC()
	if cmd.Action == ActionImportProducts {
		return importProducts(tx, cmd.Args.Products)
	}
	if cmd.Action == ActionAdjustStock {
		return adjustStock(tx, *cmd.Args.Stock, actor, now)
	}
	if cmd.Action == ActionAddStaff || cmd.Action == ActionRemoveStaff {
		c := *cmd.Args.Staff
		return &Result{Staff: &c}, nil
	}
	if cmd.Action == ActionSetPolicy {
		p := cmd.Args.Policy.Shared()
		return &Result{Policy: &p}, nil
	}
	c := &change{tx: tx, pol: pol, cmd: cmd, actor: actor, now: now, stock: newStock(tx), kind: KindStatus}
	if cmd.Action == ActionPlace {
		if err := c.place(); err != nil {
			return nil, err
		}
	} else {
		cur, err := tx.Order(cmd.OrderID)
		if err != nil {
			return nil, err
		}
		c.order = cur.Clone()
		c.order.History = nil
		c.from = cur.Status
		if err := c.decide(); err != nil {
			return nil, err
		}
	}
	return c.commit()
}

// decide runs the action's rule on the draft and moves it along a legal edge.
func (c *change) decide() error {
	o, a := c.order, c.cmd.Action
	if a == ActionAccept && o.Channel.Rule().AcceptAction == ActionCreatePackage {
		// One accept verb for staff and bulk; Lazada's history still says "create package".
		a = ActionCreatePackage
		c.cmd.Action = a
	}
	if a == ActionCreatePackage && o.Channel.Rule().AcceptAction != ActionCreatePackage {
		return c.refuse("only Lazada orders have a package to create; use accept")
	}
	if !Allowed(c.from, a) {
		return c.refuse("")
	}
	rule, ok := rules[a]
	if !ok {
		return c.refuse("no rule decides this action")
	}
	to, err := rule(c)
	if err != nil {
		return err
	}
	if !legal(c.from, a, to) {
		return c.refuse("")
	}
	return c.move(to)
}

// refuse says the action cannot happen in the order's status; a non-empty
// format (a message key) says why when the status alone does not.
func (c *change) refuse(format string, args ...any) error {
	var why Message
	if format != "" {
		why = Text(format, args...)
	}
	return &TransitionError{OrderID: c.order.ID, Number: c.order.Number, Status: c.from, Action: c.cmd.Action, Reason: why}
}

// move applies the stock, invoice, payment and delivery effects of an edge.
// They follow from (from, to) alone, so every path into a status has the same effect.
func (c *change) move(to Status) error {
	o, from := c.order, c.from
	wasHeld := from == StatusReadyToShip
	switch {
	case to == StatusReadyToShip && !wasHeld:
		if err := c.stock.allocate(o, c.cmd.Args.Force || c.actor.Role == RoleChannel); err != nil {
			return err
		}
		o.Invoice = Invoice{Number: invoiceNumber(o), Status: InvoiceUnpaid, CreatedAt: c.now}
		o.DeliveryStatus = DeliveryUnsent
	case wasHeld && to != StatusReadyToShip:
		if err := c.stock.release(o); err != nil {
			return err
		}
	}
	if shipped(to) && !shipped(from) {
		if err := c.stock.deduct(o); err != nil {
			return err
		}
		if o.Invoice.Status == InvoiceNone || o.Invoice.Status == InvoiceUnpaid {
			if o.Invoice.Number == "" {
				o.Invoice = Invoice{Number: invoiceNumber(o), CreatedAt: c.now}
			}
			o.Invoice.Status = InvoiceSent
		}
		if o.DeliveryStatus == "" || o.DeliveryStatus == DeliveryUnsent {
			o.DeliveryStatus = DeliverySent
		}
	}
	switch to {
	case StatusCancelled:
		if shipped(from) {
			if err := c.stock.restock(o); err != nil {
				return err
			}
			o.DeliveryStatus = DeliveryReturned
		}
		if o.Invoice.Status != InvoiceNone {
			o.Invoice.Status = InvoiceVoid
		}
		o.CancelRequest = nil
		if o.PaymentStatus == PaymentPaid && from != StatusPaymentReview {
			o.PaymentStatus = PaymentRefunded
		}
	case StatusDelivered:
		o.DeliveryStatus = DeliveryDelivered
		if o.Shipment.DeliveredAt.IsZero() {
			o.Shipment.DeliveredAt = c.now
		}
	case StatusCompleted:
		if o.CompletedAt.IsZero() {
			o.CompletedAt = c.now
		}
		if o.PaymentStatus != PaymentRefunded {
			o.PaymentStatus = PaymentPaid
			if o.Paid == 0 {
				o.Paid = o.Total
			}
			o.Invoice.Status = InvoicePaid
			if o.Invoice.Number == "" {
				o.Invoice.Number = invoiceNumber(o)
				o.Invoice.CreatedAt = c.now
			}
		}
		if o.DeliveryStatus != DeliveryReturned {
			o.DeliveryStatus = DeliveryDelivered
		}
	case StatusReturned, StatusRefunded:
		if err := c.settleReturn(to); err != nil {
			return err
		}
	}
	if to != StatusNew {
		o.AcceptBy = time.Time{}
	}
	o.Status = to
	return nil
}

// commit writes the draft, the stock and the history in one go.
func (c *change) commit() (*Result, error) {
	o := c.order
	o.Version++
	o.UpdatedAt = c.now
	note := joinText(append([]Message{c.note}, c.stock.notes...)...)
	ev := Event{Version: o.Version, At: c.now, Actor: c.actor, Action: c.cmd.Action, From: c.from, To: o.Status,
		Note: note.String(), NoteText: note, Kind: c.kind}
	c.events = append(c.events, ev)
	res := &Result{Order: o, Products: c.stock.changed(), Events: c.events, Warnings: c.stock.notes}
	for _, p := range res.Products {
		if err := c.tx.PutProduct(p); err != nil {
			return nil, err
		}
	}
	if err := c.tx.PutOrder(o); err != nil {
		return nil, err
	}
	for _, e := range c.events {
		if err := c.tx.AppendEvent(o.ID, e); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// rule decides an action on the draft and names the status it leads to.
type rule func(c *change) (Status, error)

var rules map[Action]rule

func init() {
	rules = map[Action]rule{
		ActionAcceptPayment:  acceptPayment,
		ActionDenyPayment:    denyPayment,
		ActionAccept:         accept,
		ActionCreatePackage:  accept,
		ActionReject:         reject,
		ActionAutoReject:     autoReject,
		ActionBuyerCancel:    buyerCancel,
		ActionCancel:         sellerCancel,
		ActionRequestCancel:  requestCancel,
		ActionApproveCancel:  approveCancel,
		ActionDeclineCancel:  declineCancel,
		ActionSplitParcel:    splitParcel,
		ActionSetParcel:      setParcel,
		ActionVerifyPacked:   verifyPacked,
		ActionArrangePickup:  arrangePickup,
		ActionArrangeDropoff: arrangeDropoff,
		ActionCancelShipment: cancelShipment,
		ActionBookAgain:      bookAgain,
		ActionAssignCourier:  assignCourier,
		ActionCourierHeading: courierHeading,
		ActionPickedUp:       pickedUp,
		ActionDeliveryFailed: deliveryFailed,
		ActionShip:           ship,
		ActionDeliver:        deliver,
		ActionComplete:       complete,
		ActionComplain:       complain,
		ActionResolve:        resolve,
		ActionRecordPrint:    recordPrint,
		ActionChannelUpdate:  channelUpdate,
		ActionAddNote:        addNote,
		ActionRecordNotice:   recordNotice,
		ActionIssuePage:      issuePage,
		ActionRecordBooking:  recordBooking,
		ActionProviderStatus: providerStatus,
		ActionRefundSale:     refundSale,
		ActionVoidSale:       voidSale,

		// A call to the order's platform, as the connectors record it.
		ActionRecordChannelCall: recordChannelCall,
	}
}

// requireReason refuses an action staff must explain; what names the action in words.
func requireReason(c *change, what Message) (string, error) {
	r := strings.TrimSpace(c.cmd.Args.Reason)
	if r == "" {
		return "", Errorf(EInvalid, "%s needs a reason", what)
	}
	return r, nil
}

func acceptPayment(c *change) (Status, error) {
	c.kind = KindPayment
	o := c.order
	if o.PaymentReceipt != nil {
		o.PaymentReceipt.Message = ""
	}
	o.PaymentStatus = PaymentPaid
	o.Paid = o.Total
	c.note = Text("Payment receipt accepted")
	if o.Channel.Rule().Entry == StatusReadyToShip {
		return StatusReadyToShip, nil
	}
	o.AcceptBy = c.now.Add(c.pol.AcceptWindowFor(o.Channel))
	return StatusNew, nil
}

func denyPayment(c *change) (Status, error) {
	c.kind = KindPayment
	msg := strings.TrimSpace(c.cmd.Args.Reason)
	if msg == "" {
		msg = strings.TrimSpace(c.cmd.Args.Note)
	}
	if msg == "" {
		return "", Errorf(EInvalid, "Denying a receipt needs a message for the buyer")
	}
	if c.order.PaymentReceipt == nil {
		c.order.PaymentReceipt = &PaymentReceipt{}
	}
	c.order.PaymentReceipt.Message = msg
	c.note = Text("Receipt denied; buyer told: %s", msg)
	return StatusPaymentReview, nil
}

func accept(c *change) (Status, error) {
	c.note = staffText(c.cmd.Args.Note)
	return StatusReadyToShip, nil
}

func reject(c *change) (Status, error) {
	r, err := requireReason(c, Text("Rejecting an order"))
	if err != nil {
		return "", err
	}
	c.order.CancelReason, c.order.CancelNote, c.note = CancelBySeller, r, staffText(r)
	if strings.Contains(strings.ToLower(r), "stock") {
		c.order.CancelReason = CancelOutOfStock
	}
	return StatusCancelled, nil
}

// AutoRejectReason is what the history says when the scheduler rejects an
// order after the usual 24 hours.
const AutoRejectReason = "auto-rejected: no response in 24 h"

func autoReject(c *change) (Status, error) {
	o := c.order
	if o.AcceptBy.IsZero() || c.now.Before(o.AcceptBy) {
		return "", c.refuse("its deadline %s has not passed", o.AcceptBy)
	}
	note := Text(AutoRejectReason)
	if w := c.pol.AcceptWindowFor(o.Channel); w != 24*time.Hour {
		note = Text("auto-rejected: no response in %s", w)
	}
	o.CancelReason, o.CancelNote, c.note = CancelAutoReject, note.String(), note
	return StatusCancelled, nil
}

func buyerCancel(c *change) (Status, error) {
	c.order.CancelReason = CancelByBuyer
	c.order.CancelNote = strings.TrimSpace(c.cmd.Args.Reason)
	c.note = Text("Cancelled by the buyer")
	if c.order.CancelNote != "" {
		c.note = Text("Cancelled by the buyer: %s", c.order.CancelNote)
	}
	return StatusCancelled, nil
}

func sellerCancel(c *change) (Status, error) {
	r, err := requireReason(c, Text("Cancelling an order"))
	if err != nil {
		return "", err
	}
	c.order.CancelReason, c.order.CancelNote, c.note = CancelBySeller, r, staffText(r)
	return StatusCancelled, nil
}

func requestCancel(c *change) (Status, error) {
	if c.order.CancelRequest != nil {
		return "", c.refuse("a cancel request is already waiting")
	}
	c.order.CancelRequest = &CancelRequest{Reason: strings.TrimSpace(c.cmd.Args.Reason), At: c.now}
	c.note = Text("Buyer asked to cancel: %s", c.order.CancelRequest.Reason)
	return c.from, nil
}

func approveCancel(c *change) (Status, error) {
	if c.order.CancelRequest == nil {
		return "", c.refuse("the buyer has not asked to cancel")
	}
	c.order.CancelReason = CancelBuyerRequest
	c.order.CancelNote = c.order.CancelRequest.Reason
	c.note = Text("Cancel request approved")
	return StatusCancelled, nil
}

func declineCancel(c *change) (Status, error) {
	if c.order.CancelRequest == nil {
		return "", c.refuse("the buyer has not asked to cancel")
	}
	c.order.CancelRequest = nil
	c.note = Text("Cancel request declined")
	if r := strings.TrimSpace(c.cmd.Args.Reason); r != "" {
		c.note = Text("Cancel request declined: %s", r)
	}
	return c.from, nil
}

func complete(c *change) (Status, error) {
	if c.actor.Role == RoleSystem {
		window := c.order.Channel.Rule().ConfirmWindow
		if c.order.Shipment.DeliveredAt.IsZero() || c.now.Before(c.order.Shipment.DeliveredAt.Add(window)) {
			return "", c.refuse("the buyer's confirm window has not passed")
		}
		c.note = Text("Completed: the buyer's confirm window passed")
	}
	return StatusCompleted, nil
}

func complain(c *change) (Status, error) {
	r, err := requireReason(c, Text("A complaint"))
	if err != nil {
		return "", err
	}
	c.order.Complaint = &Complaint{Reason: r, At: c.now}
	c.note = staffText(r)
	return StatusComplained, nil
}

func resolve(c *change) (Status, error) {
	o := c.order
	if o.Complaint == nil {
		o.Complaint = &Complaint{Reason: Text("Reported by the channel").String(), At: c.now}
	}
	switch c.cmd.Args.Resolution {
	case ResolveReturn:
		c.note = Text("Return accepted: goods back in stock, payment refunded")
	case ResolveRefund:
		c.note = Text("Refunded without return")
	case ResolveReject:
		c.note = Text("Complaint rejected")
	default:
		return "", FieldError("Resolution", "must be return, refund or reject, not %q", string(c.cmd.Args.Resolution))
	}
	if r := strings.TrimSpace(c.cmd.Args.Reason); r != "" {
		c.note = Text("%s: %s", c.note, r)
	}
	o.Complaint.Resolution = c.cmd.Args.Resolution
	o.Complaint.ResolvedAt = c.now
	switch c.cmd.Args.Resolution {
	case ResolveReturn:
		return StatusReturned, nil
	case ResolveRefund:
		return StatusRefunded, nil
	}
	return StatusCompleted, nil
}

func addNote(c *change) (Status, error) {
	n := strings.TrimSpace(c.cmd.Args.Note)
	if n == "" {
		return "", FieldError("Note", "is empty")
	}
	c.kind, c.note = KindNote, staffText(n)
	return c.from, nil
}

func recordPrint(c *change) (Status, error) {
	c.kind = KindPrint
	p := &c.order.Prints
	var n int
	switch c.cmd.Args.Document {
	case DocLabel:
		p.LabelCount++
		p.LabelAt, n = c.now, p.LabelCount
	case DocReceipt:
		p.ReceiptCount++
		p.ReceiptAt, n = c.now, p.ReceiptCount
	case DocSlip:
		p.SlipCount++
		p.SlipAt, n = c.now, p.SlipCount
	default:
		return "", FieldError("Document", "must be label, receipt or slip, not %q", string(c.cmd.Args.Document))
	}
	doc := c.cmd.Args.Document.Label()
	pr := strings.TrimSpace(c.cmd.Args.Note)
	switch {
	case c.cmd.Args.Reason == PrintUnconfirmed && pr != "":
		// The history must not claim paper nobody saw.
		c.note = Text("%s may have printed on %s; the printer did not confirm it, so it was counted as printed and not printed again", doc, pr)
	case c.cmd.Args.Reason == PrintUnconfirmed:
		c.note = Text("%s may have printed; the printer did not confirm it, so it was counted as printed and not printed again", doc)
	case n > 1 && pr != "":
		c.note = Text("%s printed (reprint, %d times in all) on %s", doc, n, pr)
	case n > 1:
		c.note = Text("%s printed (reprint, %d times in all)", doc, n)
	case pr != "":
		c.note = Text("%s printed on %s", doc, pr)
	default:
		c.note = Text("%s printed", doc)
	}
	return c.from, nil
}

// channelUpdate follows the channel's own status. A push that would move the
// order backwards (late or out of order) is recorded and otherwise ignored.
func channelUpdate(c *change) (Status, error) {
	o := c.order
	code := strings.TrimSpace(c.cmd.Args.ChannelStatus)
	to, err := StatusFromChannel(o.Channel, code)
	if err != nil {
		return "", err
	}
	prevCode, prevTracking := o.ChannelStatus, o.Shipment.TrackingID
	if err := mergeDetails(c, c.cmd.Args.Order); err != nil {
		return "", err
	}
	o.ChannelStatus = code
	if at := c.cmd.Args.ChannelUpdatedAt; at.After(o.ChannelUpdatedAt) {
		o.ChannelUpdatedAt = at.UTC()
	}
	rule := codeRuleOf(o.Channel, code)
	c.note = Text("%s says the order is %s", o.Channel, to)
	if rule.CancelRequest && o.CancelRequest == nil && o.Status == StatusReadyToShip {
		o.CancelRequest = &CancelRequest{Reason: Text("Buyer asked %s to cancel", o.Channel).String(), At: c.now}
		c.note = Text("%s says the buyer asked to cancel", o.Channel)
	}
	if d := c.cmd.Args.Order; rule.AssignsTracking && o.Shipment.TrackingID == "" && !o.DetailsPending && (d == nil || d.Buyer.Name == "") {
		// A status push, not fetched details: fetched details that carry
		// no tracking number yet are the platform's last word until its next push.
		o.DetailsPending = true
		c.note = Text("%s; fetching its tracking number", c.note)
	}
	if c.lines.any() {
		lines := linesNote(o, c.lines, to != StatusCancelled)
		if code == prevCode {
			c.note = lines
		} else {
			c.note = Text("%s; %s", c.note, lines)
		}
	}
	if o.Shipment.TrackingID != prevTracking {
		if code == prevCode && !c.lines.any() {
			c.note = trackingNote(o)
		} else {
			c.note = Text("%s; %s", c.note, trackingNote(o))
		}
	}
	if !legal(c.from, ActionChannelUpdate, to) {
		c.note = Text("%s (kept %s: the channel's status is older)", c.note, c.from)
		return c.from, nil
	}
	switch to {
	case StatusCancelled:
		if o.CancelReason == "" {
			o.CancelReason = CancelByChannel
		}
		if rule.CancelReason != "" {
			o.CancelReason = rule.CancelReason
		}
		if rule.WithdrawsPickup && pickupOpen(o.Shipment.State) {
			o.Shipment = Shipment{Withdrawn: withdrawn(o.Shipment)}
			c.note = Text("%s; the pickup is cancelled with it", c.note)
		}
	case StatusNew:
		if o.AcceptBy.IsZero() {
			o.AcceptBy = c.now.Add(c.pol.AcceptWindowFor(o.Channel))
		}
	case StatusCompleted:
		if c.from == StatusComplained && o.Complaint != nil && o.Complaint.Resolution == "" {
			o.Complaint.Resolution = ResolveReject
			o.Complaint.ResolvedAt = c.now
		}
	case StatusComplained:
		if o.Complaint == nil {
			o.Complaint = &Complaint{Reason: c.note.String(), At: c.now}
		}
	}
	if c.from == StatusPaymentReview && to != StatusCancelled {
		o.PaymentStatus = PaymentPaid
		if o.Paid == 0 {
			o.Paid = o.Total
		}
	}
	return to, nil
}

// settleReturn gives the money back, and for a return the goods, on every
// path into Returned or Refunded (staff resolving, a channel reporting it).
// The sale stays counted: CompletedAt is set if the order never completed,
// so the report counts the sale and its refund, as before these statuses.
func (c *change) settleReturn(to Status) error {
	o := c.order
	if to == StatusReturned && o.DeliveryStatus != DeliveryReturned {
		if err := c.stock.restock(o); err != nil {
			return err
		}
		o.DeliveryStatus = DeliveryReturned
	}
	if o.CompletedAt.IsZero() {
		o.CompletedAt = c.now
	}
	if o.Paid == 0 {
		o.Paid = o.Total
	}
	if o.Invoice.Number == "" {
		o.Invoice.Number = invoiceNumber(o)
		o.Invoice.CreatedAt = c.now
	}
	o.PaymentStatus = PaymentRefunded
	o.Invoice.Status = InvoiceRefunded
	want := ResolveRefund
	if to == StatusReturned {
		want = ResolveReturn
	}
	if o.Complaint == nil {
		o.Complaint = &Complaint{Reason: c.note.String(), At: c.now}
	}
	if o.Complaint.Resolution != want {
		o.Complaint.Resolution = want
		o.Complaint.ResolvedAt = c.now
	}
	if o.Complaint.ResolvedAt.IsZero() {
		o.Complaint.ResolvedAt = c.now
	}
	return nil
}

// invoiceNumber reuses a marketplace invoice number ("INV/…") and prefixes our own.
func invoiceNumber(o *Order) string {
	if strings.HasPrefix(strings.ToUpper(o.Number), "INV") {
		return o.Number
	}
	return "INV-" + strings.TrimPrefix(o.Number, "#")
}
