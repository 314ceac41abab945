package ui

import (
	"net/url"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// Accounts reaches the shop's channel and courier accounts in the cloud
// for the owner signed in here; the cloud checks the owner's signature and
// answers masked. Calls may block; the UI makes them off its goroutine.
type Accounts interface {
	List(owner app.Actor) ([]app.AccountView, error)
	Set(owner app.Actor, kind app.AccountKind, fields map[string]string) (*app.AccountView, error)
	// ConnectLink is the page where the owner grants the shop's access.
	ConnectLink(owner app.Actor, kind app.AccountKind) (string, error)
	// Sync reconciles a channel over the last days.
	Sync(owner app.Actor, kind app.AccountKind, days int) (*app.ChannelSync, error)
	// Remove removes one of the shop's WooCommerce stores by its store_url
	// and answers the accounts left; the store's orders stay.
	Remove(owner app.Actor, kind app.AccountKind, storeURL string) ([]app.AccountView, error)
}

// channelKinds are the accounts whose orders "Sync now" reconciles.
var channelKinds = []app.AccountKind{app.AccountShopee, app.AccountTokopedia, app.AccountLazada, app.AccountTikTok, app.AccountWooCommerce}

func isChannelKind(k app.AccountKind) bool {
	for _, c := range channelKinds {
		if c == k {
			return true
		}
	}
	return false
}

// accountsCard is the owner's list of the shop's accounts as the cloud
// keeps them (masked), with a form to set or replace one, Connect for the
// platforms granted by OAuth, and Sync now for the channels.
type accountsCard struct {
	m      *Main
	list   *fyne.Container
	status *widget.Label
	kind   *widget.Select
	form   *fyne.Container
	fields map[string]*widget.Entry
}

func (s *settingsScreen) accountsCard() fyne.CanvasObject { return newAccountsCard(s.m).buildUI() }

func newAccountsCard(m *Main) *accountsCard {
	return &accountsCard{m: m, list: container.NewVBox(), status: &widget.Label{Wrapping: fyne.TextWrapWord}, form: container.NewVBox()}
}

func (c *accountsCard) buildUI() *widget.Card {
	var names []string
	for _, k := range app.AccountKinds {
		names = append(names, string(k))
	}
	c.kind = &widget.Select{Options: names, PlaceHolder: lang.L("Account"), OnChanged: func(string) { c.onKindChanged() }}
	save := &widget.Button{Text: lang.L("Save account"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: c.onSave}
	c.reload()
	return widget.NewCard(lang.L("Channel and courier accounts"), lang.L("Kept in the cloud; secrets are shown masked"),
		container.NewVBox(c.list, widget.NewSeparator(), c.kind, c.form, sized(save, 0, touchMin), c.status))
}

// reload asks the cloud for the accounts and lists them.
func (c *accountsCard) reload() {
	c.list.Objects = []fyne.CanvasObject{&widget.Label{Text: lang.L("Loading accounts…")}}
	c.list.Refresh()
	owner := c.m.actor
	load(func() ([]app.AccountView, error) { return c.m.d.Accounts.List(owner) }, func(list []app.AccountView, err error) {
		c.list.Objects = nil
		if err != nil {
			c.list.Objects = append(c.list.Objects, &widget.Label{Text: lang.L("Could not load the accounts: {{.M}}", map[string]any{"M": errorText(err)}),
				Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance})
		}
		if err == nil && len(list) == 0 {
			c.list.Objects = append(c.list.Objects, &widget.Label{Text: lang.L("No accounts yet")})
		}
		for _, a := range list {
			c.list.Objects = append(c.list.Objects, c.row(a))
		}
		c.list.Refresh()
	})
}

// row is one account: its kind and state, its fields masked, and its buttons.
func (c *accountsCard) row(a app.AccountView) fyne.CanvasObject {
	title := string(a.Kind)
	if a.Store != "" {
		title += " " + a.Store
	}
	if st := say(a.Status.Text()); st != "" {
		title += " · " + st
	}
	head := &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	if a.Status.Connection == app.ConnError || a.Status.Connection == app.ConnExpired {
		head.Importance = widget.DangerImportance
	}
	names := make([]string, 0, len(a.Fields))
	for n := range a.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	var lines []string
	for _, n := range names {
		lines = append(lines, n+": "+a.Fields[n])
	}
	box := container.NewVBox(head, &widget.Label{Text: strings.Join(lines, "\n"), Wrapping: fyne.TextWrapWord})
	if a.LastError != "" && a.Status.Connection != app.ConnError {
		box.Add(&widget.Label{Text: a.LastError, Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance})
	}
	var buttons []fyne.CanvasObject
	kind := a.Kind
	if app.GrantedByOAuth(kind) {
		buttons = append(buttons, sized(&widget.Button{Text: lang.L("Connect"), Icon: theme.LoginIcon(), OnTapped: func() { c.onConnect(kind) }}, 0, touchMin))
	}
	if isChannelKind(kind) {
		buttons = append(buttons, sized(&widget.Button{Text: lang.L("Sync now"), Icon: theme.ViewRefreshIcon(), OnTapped: func() { c.m.syncChannel(kind, c.status) }}, 0, touchMin))
	}
	edit := &widget.Button{Text: lang.L("Replace"), Icon: theme.DocumentCreateIcon(), OnTapped: func() { c.kind.SetSelected(string(kind)) }}
	buttons = append(buttons, sized(edit, 0, touchMin))
	if kind == app.AccountWooCommerce && a.Fields["store_url"] != "" {
		storeURL := a.Fields["store_url"]
		remove := &widget.Button{Text: lang.L("Remove store"), Icon: theme.DeleteIcon(), Importance: widget.DangerImportance,
			OnTapped: func() { c.onRemove(storeURL) }}
		buttons = append(buttons, sized(remove, 0, touchMin))
	}
	box.Add(container.NewHBox(buttons...))
	return box
}

// onRemove asks the owner to confirm, then removes the WooCommerce store:
// its webhooks are refused and it hears no more stock figures; its orders stay.
func (c *accountsCard) onRemove(storeURL string) {
	owner := c.m.actor
	dialog.ShowConfirm(lang.L("Remove store"), lang.L("Remove the WooCommerce store {{.Store}}? Its orders stay; it hears nothing more from this shop.", map[string]any{"Store": storeURL}), func(ok bool) {
		if !ok {
			return
		}
		load(func() ([]app.AccountView, error) {
			return c.m.d.Accounts.Remove(owner, app.AccountWooCommerce, storeURL)
		}, func(_ []app.AccountView, err error) {
			if err != nil {
				c.status.Importance = widget.DangerImportance
				c.status.SetText(lang.L("Not removed: {{.M}}", map[string]any{"M": errorText(err)}))
				return
			}
			c.status.Importance = widget.MediumImportance
			c.status.SetText(lang.L("WooCommerce store {{.Store}} removed", map[string]any{"Store": storeURL}))
			c.reload()
		})
	}, c.m.win)
}

// onKindChanged builds one entry per field of the kind, secrets hidden.
func (c *accountsCard) onKindChanged() {
	c.fields = map[string]*widget.Entry{}
	form := widget.NewForm()
	for _, f := range app.AccountFields(app.AccountKind(c.kind.Selected)) {
		e := &widget.Entry{Password: f.Secret, PlaceHolder: f.Default}
		c.fields[f.Name] = e
		label := f.Name
		if f.Required {
			label += " *"
		}
		form.Append(label, e)
	}
	c.form.Objects = []fyne.CanvasObject{form}
	c.form.Refresh()
}

// onSave sends the fields typed to the cloud, which checks them at the
// platform; the answer comes back masked and the list is read again.
func (c *accountsCard) onSave() {
	kind := app.AccountKind(c.kind.Selected)
	if kind == "" {
		c.status.SetText(lang.L("Choose the account to set"))
		return
	}
	fields := map[string]string{}
	for name, e := range c.fields {
		if v := strings.TrimSpace(e.Text); v != "" {
			fields[name] = v
		}
	}
	owner := c.m.actor
	c.status.SetText(lang.L("Checking the account with the platform…"))
	load(func() (*app.AccountView, error) { return c.m.d.Accounts.Set(owner, kind, fields) }, func(a *app.AccountView, err error) {
		if err != nil {
			c.status.Importance = widget.DangerImportance
			c.status.SetText(lang.L("Not saved: {{.M}}", map[string]any{"M": errorText(err)}))
			return
		}
		c.status.Importance = widget.MediumImportance
		c.status.SetText(lang.L("{{.Kind}} account saved", map[string]any{"Kind": string(a.Kind)}))
		for _, e := range c.fields {
			e.SetText("")
		}
		c.reload()
	})
}

// onConnect opens the platform's page where the owner grants access; the
// platform sends the owner back to the cloud, which keeps the grant.
func (c *accountsCard) onConnect(kind app.AccountKind) {
	owner := c.m.actor
	load(func() (string, error) { return c.m.d.Accounts.ConnectLink(owner, kind) }, func(link string, err error) {
		if err == nil {
			var u *url.URL
			if u, err = url.Parse(link); err == nil {
				err = fyne.CurrentApp().OpenURL(u)
			}
		}
		if err != nil {
			c.status.Importance = widget.DangerImportance
			c.status.SetText(lang.L("Could not connect: {{.M}}", map[string]any{"M": errorText(err)}))
			return
		}
		c.status.Importance = widget.MediumImportance
		c.status.SetText(lang.L("The platform's page is open: allow access there, then come back and refresh"))
	})
}

// syncChannel asks the cloud to reconcile one channel over the last day
// and says what it did, on status when given, else on the banner.
func (m *Main) syncChannel(kind app.AccountKind, status *widget.Label) {
	owner := m.actor
	tell := func(text string, bad bool) {
		if status != nil {
			status.Importance = widget.MediumImportance
			if bad {
				status.Importance = widget.DangerImportance
			}
			status.SetText(text)
			return
		}
		m.showBannerStyled(text, bad)
	}
	tell(lang.L("Syncing {{.Kind}}…", map[string]any{"Kind": string(kind)}), false)
	load(func() (*app.ChannelSync, error) { return m.d.Accounts.Sync(owner, kind, 1) }, func(rep *app.ChannelSync, err error) {
		if err != nil {
			tell(lang.L("{{.Kind}} not synced: {{.M}}", map[string]any{"Kind": string(kind), "M": errorText(err)}), true)
			return
		}
		tell(lang.L("{{.Kind}} synced: {{.M}}", map[string]any{"Kind": string(kind), "M": say(rep.Text())}), false)
	})
}

// onSyncMenu offers Sync now for each channel, on the Online tab.
func (s *onlineScreen) onSyncMenu() {
	var items []*fyne.MenuItem
	for _, k := range channelKinds {
		items = append(items, fyne.NewMenuItem(app.Channel(k).Label(), func() { s.m.syncChannel(k, nil) }))
	}
	s.popupChoices(s.syncBtn, items)
}
