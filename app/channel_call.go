package app

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ChannelStep is a decision made in the register that the platform which
// sold the order must hear.
type ChannelStep string

// The steps a platform hears.
const (
	StepAccept   ChannelStep = "accept"
	StepReject   ChannelStep = "reject"
	StepCancel   ChannelStep = "cancel"
	StepShip     ChannelStep = "ship"
	StepComplete ChannelStep = "complete"
	StepReturn   ChannelStep = "return"
	// StepTracking tells the courier and tracking ID once known, apart from arranging.
	StepTracking ChannelStep = "tracking"
	// StepDeclineCancel refuses the buyer's cancel request at the platform.
	StepDeclineCancel ChannelStep = "decline_cancel"
)

var channelStepLabels = map[ChannelStep]string{
	StepAccept: "accept", StepReject: "reject", StepCancel: "cancel",
	StepShip: "arrange shipment", StepComplete: "complete", StepReturn: "record the return", StepTracking: "send the tracking ID",
	StepDeclineCancel: "decline the cancel request",
}

// Label is the step as it reads in "Tokopedia refused to accept: …".
func (s ChannelStep) Label() string {
	if l, ok := channelStepLabels[s]; ok {
		return l
	}
	return string(s)
}

// channelSteps are the register's actions a platform must hear, and the
// step each becomes there. What the platform itself told the cloud (its
// own actor) is never told back to it.
var channelSteps = map[Action]ChannelStep{
	ActionAccept: StepAccept, ActionCreatePackage: StepAccept, ActionReject: StepReject, ActionAutoReject: StepReject,
	ActionCancel: StepCancel, ActionApproveCancel: StepCancel, ActionDeclineCancel: StepDeclineCancel,
	ActionArrangePickup: StepShip, ActionArrangeDropoff: StepShip,
	ActionShip: StepTracking, ActionAssignCourier: StepTracking,
	ActionComplete: StepComplete,
}

// ChannelStepOf is the step an event of a marketplace or web-store order
// becomes at its platform, if any. A resolved complaint is a return only
// when money went back to the buyer.
func ChannelStepOf(o *Order, e Event) (ChannelStep, bool) {
	if e.Actor.Role == RoleChannel || o == nil || o.ExternalID == "" {
		return "", false
	}
	if e.Action == ActionResolve {
		if o.PaymentStatus == PaymentRefunded {
			return StepReturn, true
		}
		return "", false
	}
	s, ok := channelSteps[e.Action]
	return s, ok
}

// CallState is where a call to the platform stands.
type CallState string

// Call states. A call found "calling" was interrupted: the call may or may
// not have reached the platform.
const (
	CallCalling CallState = "calling"
	CallDone    CallState = "done"
	CallRefused CallState = "refused"
)

// ChannelCall is the record, on the order, of one step told to its platform.
type ChannelCall struct {
	// Key names the step and the order version that made it, so each decision is told once.
	Key      string      `json:"key"`
	Step     ChannelStep `json:"step"`
	State    CallState   `json:"state"`
	Attempts int         `json:"attempts,omitempty"`
	// Reply is the platform's own words when it refused, then its raw answer, truncated.
	Reply string `json:"reply,omitempty"`
	// Body is the platform's raw answer to a refused call, truncated.
	Body string    `json:"body,omitempty"`
	At   time.Time `json:"at"`
}

// ChannelCallKey names the call an event of the order makes.
func ChannelCallKey(s ChannelStep, version int64) string {
	return string(s) + "@" + strconv.FormatInt(version, 10)
}

// maxChannelCalls bounds the records an order keeps; the oldest go first.
const maxChannelCalls = 40

// channelReplyMax bounds the platform's answer kept on the order.
const channelReplyMax = 600

// ChannelCallFor is the order's record of the call with key, or nil.
func (o *Order) ChannelCallFor(key string) *ChannelCall {
	for i := range o.ChannelCalls {
		if o.ChannelCalls[i].Key == key {
			return &o.ChannelCalls[i]
		}
	}
	return nil
}

// ChannelRefusals are the calls the platform refused, newest last, for the order's detail.
func (o *Order) ChannelRefusals() []ChannelCall {
	var out []ChannelCall
	for _, c := range o.ChannelCalls {
		if c.State == CallRefused {
			out = append(out, c)
		}
	}
	return out
}

// Validate checks a record before it is written.
func (c ChannelCall) Validate() error {
	if strings.TrimSpace(c.Key) == "" {
		return FieldError("args.channel_call.key", "is required")
	}
	if _, ok := channelStepLabels[c.Step]; !ok {
		return FieldError("args.channel_call.step", "unknown step %q", string(c.Step))
	}
	switch c.State {
	case CallCalling, CallDone, CallRefused:
	default:
		return FieldError("args.channel_call.state", "must be calling, done or refused, not %q", string(c.State))
	}
	return nil
}

// Words is what the history and the order's detail say of a call.
func (c ChannelCall) Words(ch Channel) Message {
	switch c.State {
	case CallCalling:
		return Text("telling %s: %s", ch, Word(c.Step.Label()))
	case CallRefused:
		return Text("%s refused to %s: %s", ch, Word(c.Step.Label()), c.Reply)
	}
	return Text("%s heard: %s", ch, Word(c.Step.Label()))
}

func recordChannelCall(c *change) (Status, error) {
	n := c.cmd.Args.ChannelCall
	if n == nil {
		return "", FieldError("args.channel_call", "is required")
	}
	if err := n.Validate(); err != nil {
		return "", err
	}
	c.kind = KindNote
	rec := *n
	rec.At = c.now
	rec.Reply, rec.Body = clip(rec.Reply, channelReplyMax), clip(rec.Body, channelReplyMax)
	if cur := c.order.ChannelCallFor(rec.Key); cur != nil {
		*cur = rec
	} else {
		c.order.ChannelCalls = append(c.order.ChannelCalls, rec)
		if len(c.order.ChannelCalls) > maxChannelCalls {
			c.order.ChannelCalls = c.order.ChannelCalls[len(c.order.ChannelCalls)-maxChannelCalls:]
		}
	}
	c.note = rec.Words(c.order.Channel)
	return c.from, nil
}

// TrackingNote is the order note a web store e-mails the buyer once the
// parcel has a courier and a tracking ID, in the buyer's language; empty
// while the tracking ID is not known.
func TrackingNote(o *Order) string {
	s := o.Shipment
	if strings.TrimSpace(s.TrackingID) == "" {
		return ""
	}
	courier := strings.TrimSpace(s.Courier)
	if courier == "" {
		return Text("Your order is on its way. Tracking ID: %s", s.TrackingID).In(BuyerLang(o))
	}
	return Text("Your order is on its way with %s. Tracking ID: %s", courier, s.TrackingID).In(BuyerLang(o))
}

// clip keeps at most n bytes of s, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
