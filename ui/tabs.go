package ui

import (
	"image/color"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kasir/pos/app"
)

// Main is the terminal's window: the header with its tabs, badges and sync
// indicator, and the In Store, Online and Settings screens beneath it.
type Main struct {
	refreshQueued atomic.Bool

	app fyne.App
	win fyne.Window
	d   Deps
	svc *app.Service

	staff        *staffBook
	actor        app.Actor
	terminalName string
	prefs        app.Prefs
	notify       *notifier

	store    *storeScreen
	online   *onlineScreen
	settings *settingsScreen

	storeTab, onlineTab, settingsTab *tabButton
	newBadge, labelBadge, salesBadge *pill
	// cancelBadge counts buyer cancels staff must see: open cancel requests
	// (until approved or declined) and buyer cancels not yet opened.
	cancelBadge *pill
	syncDot     *canvas.Circle
	syncText    *widget.Label
	staffButton *widget.Button
	banner      *fyne.Container
	toast       *fyne.Container
	bannerText  *widget.Label
	bannerIcon  *widget.Icon
	bannerBG    *canvas.Rectangle
	body        *fyne.Container
	tabBar      *fyne.Container
	shell       fyne.CanvasObject
	current     string

	badges    app.Badges
	startOnce sync.Once
	// cancelAlerts are the buyer cancels already told to staff (alerts.go).
	cancelAlerts map[string]bool
	// unseenCancels are orders the buyer cancelled that staff have not opened
	// since the alert (alerts.go); the cancel badge counts them.
	unseenCancels map[string]bool

	// arranging is the Arrange dialog open last (arrange.go).
	arranging *arrangeForm

	// wrongPINs counts wrong PINs in a row at the pad; pinLockedUntil stops it for a while after too many.
	wrongPINs      int
	pinLockedUntil time.Time
}

// Screens of the main window.
const (
	screenStore    = "store"
	screenOnline   = "online"
	screenSettings = "settings"
)

// New builds the main window over a fyne app; main.go calls ShowAndRun.
func New(a fyne.App, d Deps) *Main {
	m := &Main{app: a, d: d, svc: d.Service}
	m.loadSettings()
	applyLanguage(m.prefs.Language)
	m.staff = newStaffBook(d.Settings, d.Service, d.Sync != nil)
	m.notify = newNotifier(m)
	m.win = a.NewWindow(lang.L("Kasir POS"))
	m.win.Resize(fyne.NewSize(1280, 800))
	m.buildUI()
	m.showSignIn()
	return m
}

// Window is the main window.
func (m *Main) Window() fyne.Window { return m.win }

// ShowAndRun starts the background watchers, shows the window and runs the app.
func (m *Main) ShowAndRun() {
	m.Start()
	m.win.ShowAndRun()
}

// Start begins the sync indicator and deadline watchers; ShowAndRun calls it,
// and calling it again does nothing.
func (m *Main) Start() {
	m.startOnce.Do(func() {
		go m.watch()
		go m.watchReprints()
	})
}

// Refresh reloads badges, counts, the visible list and any open order. It is
// safe to call from any goroutine (the sync layer calls it after applying changes).
func (m *Main) Refresh() {
	// A bulk action or a catch-up calls this once per change; calls that
	// arrive before the queued refresh ran are folded into it.
	if !m.refreshQueued.CompareAndSwap(false, true) {
		return
	}
	fyne.Do(func() {
		m.refreshQueued.Store(false)
		m.refresh()
	})
}

// OnNewOrders tells staff that n new orders arrived: a chime, a banner and a
// system notification, then a refresh. Safe from any goroutine.
func (m *Main) OnNewOrders(n int) {
	if n <= 0 {
		return
	}
	fyne.Do(func() {
		m.refresh()
		msg := lang.L("{{.N}} new online order", map[string]any{"N": n})
		if n > 1 {
			msg = lang.L("{{.N}} new online orders", map[string]any{"N": n})
		}
		m.showBanner(msg)
		m.notify.alert(lang.L("New order"), msg)
	})
}

// OnRejected tells staff that the cloud refused a change this terminal made
// to an order (another terminal or the channel got there first): a banner in
// the danger style, then a refresh so the order shows the cloud's version.
// Safe from any goroutine; the sync layer calls it with the order number and
// the cloud's reason as a message, said here in the staff's language.
func (m *Main) OnRejected(number string, reason app.Message) {
	fyne.Do(func() {
		message := say(reason)
		if strings.TrimSpace(message) == "" {
			message = lang.L("the cloud refused the change")
		}
		m.refresh()
		m.showBannerStyled(lang.L("Order {{.N}}: {{.M}} — the order shows the cloud's version",
			map[string]any{"N": number, "M": message}), true)
	})
}

// OnPrintFailed tells staff that a print left the queue unprinted (a
// platform refused its airway bill): a banner in the danger style with the
// reason in the staff's language, then a refresh so the order says it too.
// Safe from any goroutine.
func (m *Main) OnPrintFailed(reason app.Message) {
	fyne.Do(func() {
		m.refresh()
		m.showBannerStyled(say(reason), true)
	})
}

// OnSettingSetAside tells staff that a stored setting no longer held when
// the terminal opened and its defaults apply until it is saved again
// (app.LoadSetting): a banner in the danger style, so the owner knows to
// look at Settings. Safe from any goroutine.
func (m *Main) OnSettingSetAside(reason app.Message) {
	fyne.Do(func() { m.showBannerStyled(say(reason), true) })
}

func (m *Main) refresh() {
	m.refreshBadges()
	m.refreshSync()
	m.online.refresh()
	m.store.refresh()
}

func (m *Main) buildUI() {
	m.newBadge = newCountBadge(theme.ColorNamePrimary, theme.ColorNameForegroundOnPrimary)
	m.labelBadge = newCountBadge(theme.ColorNameWarning, theme.ColorNameForegroundOnWarning)
	m.salesBadge = newCountBadge(theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess)
	m.storeTab = newTabButton(lang.L("In Store"), theme.HomeIcon(), func() { m.showScreen(screenStore) }, m.salesBadge)
	m.cancelBadge = newCountBadge(theme.ColorNameError, theme.ColorNameForegroundOnError)
	m.onlineTab = newTabButton(lang.L("Online"), theme.MailComposeIcon(), func() { m.showScreen(screenOnline) }, m.newBadge, m.labelBadge, m.cancelBadge)
	m.settingsTab = newTabButton(lang.L("Settings"), theme.SettingsIcon(), func() { m.showScreen(screenSettings) })

	m.syncDot = canvas.NewCircle(color.Transparent)
	m.syncText = &widget.Label{Text: lang.L("Not syncing"), SizeName: theme.SizeNameCaptionText}
	m.staffButton = &widget.Button{Icon: theme.AccountIcon(), Importance: widget.LowImportance, OnTapped: m.onLock}

	m.bannerText = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.HighImportance}
	m.bannerBG = canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	m.bannerIcon = widget.NewIcon(theme.InfoIcon())
	closeBanner := &widget.Button{Icon: theme.CancelIcon(), Importance: widget.LowImportance, OnTapped: m.onBannerClosed}
	under := &canvas.Rectangle{FillColor: theme.Color(theme.ColorNameOverlayBackground), StrokeColor: theme.Color(theme.ColorNameShadow),
		StrokeWidth: 1, CornerRadius: theme.InputRadiusSize()}
	m.bannerBG.CornerRadius = theme.InputRadiusSize()
	m.banner = container.NewStack(under, m.bannerBG, container.NewBorder(nil, nil, m.bannerIcon,
		sized(closeBanner, touchMin, touchMin), m.bannerText))
	m.banner.Hide()

	m.store = newStoreScreen(m)
	m.online = newOnlineScreen(m)
	m.settings = newSettingsScreen(m)
	m.body = container.NewStack(m.store.buildUI(), m.online.buildUI(), m.settings.buildUI())

	m.tabBar = container.NewHBox(m.storeTab.content, m.onlineTab.content, m.settingsTab.content)
	tabs := container.NewHScroll(m.tabBar)
	syncBox := container.NewHBox(container.NewCenter(sized(m.syncDot, 12, 12)), m.syncText)
	header := container.NewBorder(nil, nil, nil, container.NewHBox(syncBox, m.staffButton), tabs)
	m.toast = container.New(toastCorner{}, newTapShield(m.banner))
	// The banner floats over the screens in a corner of its own: a banner
	// that pushed the screens down moved every button under a finger.
	m.shell = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil,
		container.NewStack(m.body, m.toast))
	m.showScreen(screenOnline)
}

func (m *Main) showScreen(name string) {
	m.current = name
	objs := m.body.Objects
	for i, s := range []string{screenStore, screenOnline, screenSettings} {
		if s == name {
			objs[i].Show()
		} else {
			objs[i].Hide()
		}
	}
	m.storeTab.setSelected(name == screenStore)
	m.onlineTab.setSelected(name == screenOnline)
	m.settingsTab.setSelected(name == screenSettings)
	if name == screenSettings {
		m.settings.onShown()
	}
	if name == screenStore {
		m.store.onShown()
	} else {
		m.stopKeyboard()
	}
}

// signedIn switches to the main screens as this staff member.
func (m *Main) signedIn(s app.Staff) {
	m.actor = s.Actor(m.terminal())
	if m.svc != nil {
		// The key lives only for this sign-in; the terminal signs the member's changes with it.
		m.svc.Keys.Remember(s)
	}
	m.stopKeyboard()
	m.staffButton.SetText(s.Name + " · " + roleLabel(s.Role))
	m.win.SetContent(m.shell)
	m.settings.onShown()
	m.online.onActorChanged()
	m.refresh()
}

func (m *Main) terminal() string {
	if m.d.Terminal != "" {
		return m.d.Terminal
	}
	return m.terminalName
}

func (m *Main) onLock() {
	if m.svc != nil {
		m.svc.Keys.Forget(m.actor.Staff)
	}
	m.actor = app.Actor{}
	m.showSignIn()
}

func (m *Main) showSignIn() {
	m.win.SetContent(newSignIn(m).buildUI())
}

func (m *Main) refreshBadges() {
	if m.svc == nil {
		return
	}
	load(m.svc.Badges, func(b app.Badges, err error) {
		if err != nil {
			fyne.LogError("badges", err)
			return
		}
		m.badges = b
		m.newBadge.setCount(b.New, b.Expiring > 0, theme.ColorNamePrimary)
		m.labelBadge.setCount(b.AwaitingLabel, false, theme.ColorNameWarning)
		m.showCancelCount()
		m.onlineTab.content.Refresh() // a badge that appears needs room in the header
		m.tabBar.Refresh()
		m.online.setCounts(b)
	})
}

func (m *Main) refreshSync() {
	if m.d.Sync == nil {
		m.syncDot.FillColor = theme.Color(theme.ColorNameDisabled)
		m.syncText.SetText(lang.L("Not syncing"))
		m.syncDot.Refresh()
		return
	}
	st := m.d.Sync.State()
	var c fyne.ThemeColorName
	var text string
	switch st.Status {
	case SyncOnline:
		c, text = theme.ColorNameSuccess, lang.L("Online")
	case SyncSyncing:
		c, text = theme.ColorNameWarning, lang.L("Syncing {{.N}}", map[string]any{"N": st.Pending})
	default:
		c, text = theme.ColorNameError, lang.L("Offline")
		if !st.OfflineSince.IsZero() {
			text = lang.L("Offline since {{.T}}", map[string]any{"T": st.OfflineSince.Local().Format("15:04")})
		}
		if st.Pending > 0 {
			text += " · " + lang.L("{{.N}} waiting", map[string]any{"N": st.Pending})
		}
	}
	m.syncDot.FillColor = theme.Color(c)
	m.syncDot.Refresh()
	m.syncText.SetText(text)
}

// watch polls the sync state every 2 s and the accept deadlines every minute.
func (m *Main) watch() {
	syncTick := time.NewTicker(2 * time.Second)
	deadlineTick := time.NewTicker(time.Minute)
	defer syncTick.Stop()
	defer deadlineTick.Stop()
	m.notify.checkDeadlines()
	for {
		select {
		case <-syncTick.C:
			fyne.Do(m.refreshSync)
		case <-deadlineTick.C:
			m.notify.checkDeadlines()
			fyne.Do(func() { m.refreshBadges(); m.online.list.list.Refresh() })
		}
	}
}

// bannerTimeout hides a banner on its own; tests set it to zero.
var bannerTimeout = 8 * time.Second

func (m *Main) showBanner(text string) { m.showBannerStyled(text, false) }

// showBannerStyled raises the banner; danger draws it in the error colour
// with an error icon, for something staff must notice.
func (m *Main) showBannerStyled(text string, danger bool) {
	if danger {
		m.bannerText.Importance = widget.DangerImportance
		m.bannerIcon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		c := theme.Color(theme.ColorNameError)
		r, g, b, _ := c.RGBA()
		m.bannerBG.FillColor = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0x33}
	} else {
		m.bannerText.Importance = widget.HighImportance
		m.bannerIcon.SetResource(theme.InfoIcon())
		m.bannerBG.FillColor = theme.Color(theme.ColorNameHover)
	}
	m.bannerBG.Refresh()
	m.bannerText.Text = text
	m.bannerText.Refresh()
	m.banner.Show()
	m.toast.Refresh() // the new text may wrap to another height
	// A danger banner stays until staff close it or another banner replaces it.
	if bannerTimeout > 0 && !danger {
		time.AfterFunc(bannerTimeout, func() {
			fyne.Do(func() {
				if m.bannerText.Text == text {
					m.banner.Hide()
				}
			})
		})
	}
}

func (m *Main) onBannerClosed() { m.banner.Hide() }

// showError tells staff in plain words why something failed.
func (m *Main) showError(title string, err error) {
	if app.ErrorCode(err) == app.EInternal {
		fyne.LogError(title, err)
	}
	showMessage(title, errorText(err), m.win)
}

// permitted says whether the signed-in staff member may take an action,
// and if not, why in plain words.
func (m *Main) permitted(a app.Action) (bool, string) {
	if err := app.Permit(m.actor.Role, a); err != nil {
		return false, errorText(err)
	}
	return true, ""
}

func (m *Main) now() time.Time {
	if m.svc != nil && m.svc.Now != nil {
		return m.svc.Now()
	}
	return time.Now()
}

// zone is the shop's time zone, where its days begin.
func (m *Main) zone() *time.Location {
	if m.svc != nil {
		return m.svc.CurrentPolicy().Zone()
	}
	return time.Local
}

// currency is the shop's currency.
func (m *Main) currency() app.Currency {
	if m.svc != nil {
		if c := m.svc.CurrentPolicy().Currency; c != "" {
			return c
		}
	}
	return app.IDR
}

func roleLabel(r app.Role) string {
	switch r {
	case app.RoleOwner:
		return lang.L("Owner")
	case app.RoleCashier:
		return lang.L("Cashier")
	case app.RolePacker:
		return lang.L("Packer")
	}
	return string(r)
}

// timeLeft renders a countdown such as "3h 12m left".
func timeLeft(d time.Duration) string {
	if d <= 0 {
		return lang.L("Overdue")
	}
	h, mnt := int(d.Hours()), int(d.Minutes())%60
	if h > 0 {
		return lang.L("{{.H}}h {{.M}}m left", map[string]any{"H": h, "M": mnt})
	}
	return lang.L("{{.M}}m left", map[string]any{"M": max(mnt, 1)})
}

// spacer is a flexible gap for HBoxes.
func spacer() fyne.CanvasObject { return layout.NewSpacer() }
