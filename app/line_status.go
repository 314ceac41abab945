package app

import "strings"

// lineStatusChannels are the channels whose statuses belong to order lines,
// not to orders: Lazada pushes one message per line (trade_order_line_id)
// and GetOrderItems gives each item its own status, so a buyer may cancel
// one line of an order the shop goes on with. Kept as data, so that no
// channel has a branch of its own in Execute.
var lineStatusChannels = map[Channel]bool{ChannelLazada: true}

// LineStatuses reports whether the channel's statuses are per line: a
// cancelled line cancels only that line and gives back its stock, the
// order is cancelled when every line is, and a line it reports after the
// order was accepted joins the order with its stock allocated.
func (c Channel) LineStatuses() bool { return lineStatusChannels[c] }

// cancelsLine reports whether the channel's code for a line means it is cancelled.
func cancelsLine(c Channel, code string) bool {
	if code == "" {
		return false
	}
	st, err := StatusFromChannel(c, code)
	return err == nil && st == StatusCancelled
}

// lineStatuses are a channel's lines with those it reports cancelled
// marked so, where its statuses are per line; a copy, the input is kept.
func lineStatuses(c Channel, lines []Line) []Line {
	if !c.LineStatuses() {
		return lines
	}
	out := make([]Line, len(lines))
	for i, l := range lines {
		l.Cancelled = l.Cancelled || cancelsLine(c, l.ChannelStatus)
		out[i] = l
	}
	return out
}

// placeholder reports whether a line is known only by the channel's id (a
// Lazada line push): no SKU, no price. It moves no stock until the
// channel's details fill it in.
func (l Line) placeholder() bool {
	return strings.TrimSpace(l.SKU) == "" && l.UnitPrice == 0 && !l.Linked
}

// undescribed reports whether an order whose statuses are per line still
// has a line known only by id, so its details are still pending.
func undescribed(o *Order) bool {
	if !o.Channel.LineStatuses() {
		return false
	}
	for _, l := range o.Lines {
		if l.placeholder() && !l.Cancelled {
			return true
		}
	}
	return false
}

// liveLinesBesides reports whether the order has a line that is not
// cancelled other than the channel's line id.
func liveLinesBesides(o *Order, lineID string) bool {
	for _, l := range o.Lines {
		if !l.Cancelled && (lineID == "" || l.ExternalID != lineID) {
			return true
		}
	}
	return false
}

// lineCode is the order's status code after a push about one of its lines:
// a line's cancel is the order's only when it leaves no other line live.
func lineCode(cur *Order, in Incoming, code string) string {
	if !in.Channel.LineStatuses() || in.Line == nil || !cancelsLine(in.Channel, code) {
		return code
	}
	if liveLinesBesides(cur, in.Line.ExternalID) {
		return cur.ChannelStatus
	}
	return code
}

// firstLineCode is the status of an order first known from a push: a
// line's cancel is the order's only when every line is, and an order known
// by one line alone does not show that, so it waits for its details.
func firstLineCode(in Incoming) string {
	if in.Order == nil && in.Line != nil && in.Channel.LineStatuses() && cancelsLine(in.Channel, in.ChannelStatus) {
		return ""
	}
	return in.ChannelStatus
}

// lineIndex finds a pushed line on the order: by the channel's line id,
// or by its content when the channel sends none; -1 when it is new.
func lineIndex(o *Order, l Line) int {
	for i, have := range o.Lines {
		if l.ExternalID != "" && have.ExternalID == l.ExternalID {
			return i
		}
		if l.ExternalID == "" && have.ExternalID == "" && have.SKU == l.SKU && have.Name == l.Name && have.Qty == l.Qty && have.UnitPrice == l.UnitPrice {
			return i
		}
	}
	return -1
}

// lineChanges are what one channel update did to the order's lines, for its history.
type lineChanges struct {
	added, filled, cancelled []string
}

func (lc lineChanges) any() bool { return len(lc.added)+len(lc.filled)+len(lc.cancelled) > 0 }

// label names a line in the history.
func (l Line) label() string {
	if l.SKU != "" {
		return l.SKU
	}
	return l.Name
}

// link ties a line to the product its SKU names, if the shop has it.
func (c *change) link(l *Line) error {
	l.Linked = false
	if l.SKU == "" {
		return nil
	}
	p, err := c.stock.product(l.SKU)
	if err != nil || p == nil {
		return err
	}
	l.Linked = true
	if l.UnitCost == 0 {
		l.UnitCost = p.Cost
	}
	return nil
}

// held reports whether the order held stock when the command began: the
// stock of a line that joins it, is filled in or is cancelled moves alone.
func (c *change) held() bool { return c.from == StatusReadyToShip }

// mergeLines adds the lines a channel reported that the order lacks, fills
// in the lines it knew only by id, and follows each line's own status
// where the channel's statuses are per line. Before acceptance lines move
// no stock; while the order holds stock, each line's stock moves with it,
// once. Other channels' lines are only added before acceptance, or to an
// order still waiting for its details.
func mergeLines(c *change, d *Order) (lineChanges, error) {
	o := c.order
	var lc lineChanges
	perLine := o.Channel.LineStatuses()
	// An order placed from a status push (Shopee's READY_TO_SHIP) learns its
	// lines from the fetched details in whatever status it has reached.
	canAdd := c.from.preAcceptance() || (perLine && c.held()) || o.DetailsPending
	for i, l := range d.Lines {
		field := "lines[" + itoa(i) + "]"
		if j := lineIndex(o, l); j >= 0 {
			have := &o.Lines[j]
			if have.placeholder() && !l.placeholder() && !shipped(c.from) {
				if err := l.validate(field); err != nil {
					return lc, err
				}
				filled := *have
				filled.SKU, filled.Name, filled.Qty, filled.UnitPrice, filled.Discount = strings.TrimSpace(l.SKU), l.Name, l.Qty, l.UnitPrice, l.Discount
				if err := c.link(&filled); err != nil {
					return lc, err
				}
				if c.held() && filled.Linked && !filled.Cancelled {
					if err := c.stock.allocate(&Order{ID: o.ID, Lines: []Line{filled}}, true); err != nil {
						return lc, err
					}
				}
				*have = filled
				lc.filled = append(lc.filled, filled.label())
			}
			if perLine && l.ChannelStatus != "" && l.ChannelStatus != have.ChannelStatus {
				have.ChannelStatus = l.ChannelStatus
				if cancelsLine(o.Channel, l.ChannelStatus) && !have.Cancelled && !shipped(c.from) {
					if c.held() && have.Linked {
						if err := c.stock.release(&Order{ID: o.ID, Lines: []Line{*have}}); err != nil {
							return lc, err
						}
					}
					have.Cancelled = true
					lc.cancelled = append(lc.cancelled, have.label())
				}
			}
			continue
		}
		if !canAdd {
			continue
		}
		if err := l.validate(field); err != nil {
			return lc, err
		}
		if len(o.Lines) >= MaxLinesPerOrder {
			return lc, FieldError("lines", "an order may have at most %d lines", MaxLinesPerOrder)
		}
		l.SKU = strings.TrimSpace(l.SKU)
		if err := c.link(&l); err != nil {
			return lc, err
		}
		l.Cancelled = perLine && cancelsLine(o.Channel, l.ChannelStatus)
		if c.held() && l.Linked && !l.Cancelled {
			if err := c.stock.allocate(&Order{ID: o.ID, Lines: []Line{l}}, true); err != nil {
				return lc, err
			}
		}
		if shipped(c.from) && c.from != StatusReturned && c.from != StatusRefunded && l.Linked && !l.Cancelled {
			// Learnt after the parcel left: the goods left with it (a
			// returned parcel's came back).
			if err := c.stock.deduct(&Order{ID: o.ID, Lines: []Line{l}}); err != nil {
				return lc, err
			}
		}
		o.Lines = append(o.Lines, l)
		lc.added = append(lc.added, l.label())
		if perLine && l.placeholder() {
			// Known only by id: the channel's details must name its product.
			o.DetailsPending = true
		}
	}
	if lc.any() {
		if !anyPacked(o) {
			o.Parcels = onlyParcel(o)
		}
		if !o.DetailsPending || d.Total == 0 {
			// Lines changed push by push must still add up within the limits.
			t, err := o.CheckedTotal()
			if err != nil {
				return lc, err
			}
			if t > MaxAmount {
				return lc, FieldError("total", "the lines, shipping and tax come to more than %d", int64(MaxAmount))
			}
			o.Total = t
		}
	}
	return lc, nil
}

// addsLines reports whether pushed lines would change the order's lines:
// a line it lacks while lines can join, a line known only by id now
// described, or a per-line status it has not seen.
func addsLines(o *Order, d *Order) bool {
	perLine := o.Channel.LineStatuses()
	canAdd := o.Status.preAcceptance() || (perLine && o.Status == StatusReadyToShip) || o.DetailsPending
	for _, l := range d.Lines {
		j := lineIndex(o, l)
		if j < 0 {
			if canAdd {
				return true
			}
			continue
		}
		have := o.Lines[j]
		if have.placeholder() && !l.placeholder() && !shipped(o.Status) {
			return true
		}
		if perLine && l.ChannelStatus != "" && l.ChannelStatus != have.ChannelStatus {
			return true
		}
	}
	return false
}

func anyPacked(o *Order) bool {
	for _, p := range o.Parcels {
		if p.Packed {
			return true
		}
	}
	return false
}

// linesNote is what the history says of the lines a channel update changed.
func linesNote(o *Order, lc lineChanges, stays bool) Message {
	var parts []Message
	if len(lc.cancelled) > 0 {
		if stays {
			parts = append(parts, Text("%s cancelled %s; the rest of the order goes on", o.Channel, strings.Join(lc.cancelled, ", ")))
		} else {
			parts = append(parts, Text("%s cancelled %s", o.Channel, strings.Join(lc.cancelled, ", ")))
		}
	}
	if len(lc.added) > 0 {
		parts = append(parts, Text("%s added %s", o.Channel, strings.Join(lc.added, ", ")))
	}
	if len(lc.filled) > 0 {
		parts = append(parts, Text("%s described %s", o.Channel, strings.Join(lc.filled, ", ")))
	}
	if len(parts) == 0 {
		return Message{}
	}
	m := parts[0]
	for _, p := range parts[1:] {
		m = Text("%s; %s", m, p)
	}
	return m
}
