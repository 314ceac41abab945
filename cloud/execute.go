package cloud

import (
	"time"

	"github.com/kasir/pos/app"
	possync "github.com/kasir/pos/sync"
)

// Execute applies a command as the cloud itself — demo seeding and support
// tools — under the same rules as every other change: it lands in the shop's
// change log and reaches every terminal. at is the time the history records.
func (e *Embedded) Execute(cmd app.Command, actor app.Actor, at time.Time) (*app.Result, error) {
	st := e.Server.Store()
	shop, err := st.Shop(e.ShopID)
	if err != nil {
		return nil, err
	}
	var res *app.Result
	var head uint64
	err = st.Update(e.ShopID, func(tx ShopTx) error {
		var err error
		if res, err = app.Execute(tx, shop.Policy(), cmd, actor, at); err != nil {
			return err
		}
		// The change is stamped now, not at: retention counts from when the log got it.
		if _, err := tx.AppendChange(&possync.Change{Order: res.Order, Products: res.Products, Events: res.Events, At: time.Now().UTC()}); err != nil {
			return err
		}
		head = tx.Head()
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.Server.notify(e.ShopID, head, 1)
	return res, nil
}

// Head is the newest sequence of the embedded shop's change log.
func (e *Embedded) Head() uint64 {
	var head uint64
	_ = e.Server.Store().View(e.ShopID, func(tx ShopTx) error {
		head = tx.Head()
		return nil
	})
	return head
}
