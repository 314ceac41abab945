package app

import "time"

// ListingRead is how the cloud's latest read of one platform's listings
// for a shop went, the owner's button or the hourly round alike: when, how
// many listings, or the platform's error, so a failed read is seen on the
// "Not in POS" page and not lost.
type ListingRead struct {
	Channel  Channel   `json:"channel"`
	At       time.Time `json:"at"`
	Listings int       `json:"listings"`
	// Err is why the read failed; nil when it succeeded.
	Err error `json:"-"`
}

// Text says how the read went.
func (r ListingRead) Text() Message {
	at := r.At.Local().Format("2006-01-02 15:04")
	if r.Err != nil {
		return Text("%s listings could not be read at %s: %s", r.Channel.Label(), at, MessageOf(r.Err))
	}
	return Text("%s listings read at %s: %d", r.Channel.Label(), at, int64(r.Listings))
}
