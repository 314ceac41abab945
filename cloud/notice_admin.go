package cloud

import (
	"github.com/kasir/pos/app"
	"github.com/kasir/pos/sync/wire"
)

// SetNotices changes a shop's notice settings with change, inside the
// shop's policy, and sends the new policy to every terminal through the
// log, as a policy set at a terminal travels. Errors: EInvalid naming the
// field or placeholder, ENotFound.
func (s *Server) SetNotices(shopID string, change func(*app.NoticeSettings) error) (app.NoticeSettings, error) {
	shop, err := s.store.Shop(shopID)
	if err != nil {
		return app.NoticeSettings{}, err
	}
	var (
		out  app.NoticeSettings
		head uint64
	)
	now := s.now()
	err = s.store.Update(shopID, func(tx ShopTx) error {
		pol, err := shopPolicy(tx, shop)
		if err != nil {
			return err
		}
		ns := copyNotices(pol.Notices)
		if err := change(&ns); err != nil {
			return err
		}
		pol.Notices = ns
		if err := pol.Validate(); err != nil {
			return err
		}
		shared := pol.Shared()
		if err := tx.PutPolicy(shared); err != nil {
			return err
		}
		if _, err := tx.AppendChange(&wire.Change{Policy: &shared, At: now}); err != nil {
			return err
		}
		out, head = ns, tx.Head()
		return nil
	})
	if err != nil {
		return app.NoticeSettings{}, err
	}
	s.notify(shopID, head, 1)
	return out, nil
}

// Notices reads a shop's notice settings.
func (s *Server) Notices(shopID string) (app.NoticeSettings, error) {
	shop, err := s.store.Shop(shopID)
	if err != nil {
		return app.NoticeSettings{}, err
	}
	var out app.NoticeSettings
	err = s.store.View(shopID, func(tx ShopTx) error {
		pol, err := shopPolicy(tx, shop)
		out = pol.Notices
		return err
	})
	return out, err
}

// copyNotices is a deep copy, so a refused change leaves the stored settings untouched.
func copyNotices(ns app.NoticeSettings) app.NoticeSettings {
	c := ns
	c.Off = append([]app.NoticeEvent(nil), ns.Off...)
	c.Templates = map[string]app.NoticeTemplate{}
	for k, v := range ns.Templates {
		c.Templates[k] = v
	}
	c.WhatsAppTemplates = map[app.NoticeEvent]string{}
	for k, v := range ns.WhatsAppTemplates {
		c.WhatsAppTemplates[k] = v
	}
	c.TrackingLinks = map[app.Courier]string{}
	for k, v := range ns.TrackingLinks {
		c.TrackingLinks[k] = v
	}
	return c
}
