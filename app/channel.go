package app

import (
	"strings"
	"time"
)

// Channel is where an order came from.
type Channel string

// Channels, spelled as in JSON, the CLI and the docs.
const (
	ChannelTokopedia   Channel = "tokopedia"
	ChannelShopee      Channel = "shopee"
	ChannelLazada      Channel = "lazada"
	ChannelTikTok      Channel = "tiktok"
	ChannelWooCommerce Channel = "woocommerce"
	ChannelStore       Channel = "store"
	ChannelManual      Channel = "manual"
	ChannelInStore     Channel = "instore"
)

// Channels lists every channel.
var Channels = []Channel{
	ChannelTokopedia, ChannelShopee, ChannelLazada, ChannelTikTok,
	ChannelWooCommerce, ChannelStore, ChannelManual, ChannelInStore,
}

// ChannelRule is what differs between channels: where an order enters and
// which step moves it to Ready to Ship. Everything else is shared.
type ChannelRule struct {
	Label string
	// Entry is the status a paid order arrives in.
	Entry Status
	// AcceptAction moves a New order to Ready to Ship ("create package" on Lazada).
	AcceptAction Action
	// AcceptWindow is how long the shop has before the order is auto-rejected.
	AcceptWindow time.Duration
	// ConfirmWindow is how long after delivery the channel completes the order on its own.
	ConfirmWindow time.Duration
	// Marketplace channels own the buyer relationship; a buyer's cancel after
	// acceptance needs the seller's approval there.
	Marketplace bool
}

var channelRules = map[Channel]ChannelRule{
	ChannelTokopedia:   {"Tokopedia", StatusNew, ActionAccept, 24 * time.Hour, 48 * time.Hour, true},
	ChannelShopee:      {"Shopee", StatusReadyToShip, ActionAccept, 24 * time.Hour, 72 * time.Hour, true},
	ChannelLazada:      {"Lazada", StatusNew, ActionCreatePackage, 24 * time.Hour, 72 * time.Hour, true},
	ChannelTikTok:      {"TikTok Shop", StatusReadyToShip, ActionAccept, 24 * time.Hour, 72 * time.Hour, true},
	ChannelWooCommerce: {"WooCommerce", StatusNew, ActionAccept, 24 * time.Hour, 72 * time.Hour, false},
	ChannelStore:       {"Web store", StatusReadyToShip, ActionAccept, 24 * time.Hour, 72 * time.Hour, false},
	ChannelManual:      {"WhatsApp / manual", StatusReadyToShip, ActionAccept, 24 * time.Hour, 72 * time.Hour, false},
	ChannelInStore:     {"In store", StatusCompleted, ActionAccept, 0, 0, false},
}

// Rule returns the channel's rule; unknown channels get the manual rule.
func (c Channel) Rule() ChannelRule {
	if r, ok := channelRules[c]; ok {
		return r
	}
	return channelRules[ChannelManual]
}

// Label is the channel as staff read it.
func (c Channel) Label() string { return c.Rule().Label }

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { _, ok := channelRules[c]; return ok }

// Online reports whether orders of this channel appear on the Online tab.
func (c Channel) Online() bool { return c != ChannelInStore }

// ParseChannel accepts a channel name, case-insensitively.
func ParseChannel(s string) (Channel, error) {
	c := Channel(strings.ToLower(strings.TrimSpace(s)))
	if c == "tiktokshop" || c == "tiktok_shop" {
		c = ChannelTikTok
	}
	if !c.Valid() {
		return "", FieldError("Channel", "%q is unknown (use one of tokopedia, shopee, lazada, tiktok, woocommerce, store, manual, instore)", s)
	}
	return c, nil
}
