package app

import (
	"net/url"
	"strings"
)

// The terminal's own settings, by the key the terminal's store keeps each
// under. These types are their one owner: the screens, the command line and
// the running terminal read and write them, and Validate them before saving.
const (
	// SettingCloud holds the terminal's CloudSetting.
	SettingCloud = "cloud"
	// SettingTerminalName holds the terminal's name (a string), shown in the
	// history of every change made on it.
	SettingTerminalName = "terminal_name"
	// SettingPrefs holds the terminal's Prefs.
	SettingPrefs = "ui"
	// SettingPolicy holds the shop's rules (Policy) as this terminal last
	// heard them; the cloud's set_policy changes arrive into it.
	SettingPolicy = "policy"
	// SettingPrinting holds the shop's Printing setup.
	SettingPrinting = "printing"
)

// SettingKey is where the terminal keeps the shop's rules.
func (Policy) SettingKey() string { return SettingPolicy }

// SettingKey is where the terminal keeps its cloud.
func (CloudSetting) SettingKey() string { return SettingCloud }

// SettingKey is where the terminal keeps its preferences.
func (Prefs) SettingKey() string { return SettingPrefs }

// SettingKey is where the terminal keeps its name.
func (TerminalName) SettingKey() string { return SettingTerminalName }

// TerminalName names this terminal in the history of every change made on
// it and in the ids it mints (shift ids), so it follows the rule of an id.
type TerminalName string

// Validate refuses a name an id cannot carry: spaces, control or invisible
// characters, or one longer than an id.
func (n TerminalName) Validate() error {
	return checkKey("Terminal name", string(n), MaxIDLen)
}

// CloudSetting says which cloud a terminal follows; Embedded (or no URL)
// runs the cloud in-process. A scanned Pairing fills it.
type CloudSetting struct {
	URL      string `json:"url"`
	Token    string `json:"token"`
	Embedded bool   `json:"embedded"`
}

// Remote is the cloud URL the pairing names, or "" for the embedded cloud.
func (p CloudSetting) Remote() string {
	if p.Embedded {
		return ""
	}
	return strings.TrimSpace(p.URL)
}

// Validate refuses a remote cloud that cannot work, naming the field: the
// URL must be http(s) with a host, and the token is needed.
func (p CloudSetting) Validate() error {
	remote := p.Remote()
	if remote == "" {
		return nil
	}
	u, err := url.Parse(remote)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return FieldError("url", "is not an http or https address")
	}
	if strings.TrimSpace(p.Token) == "" {
		return FieldError("token", "is required")
	}
	return nil
}

// Prefs are a terminal's own preferences, kept on the tablet only.
type Prefs struct {
	// Mute silences the new-order sound.
	Mute bool `json:"mute"`
	// Language is the language staff chose ("en", "id"); empty is English.
	Language string `json:"language"`
}

// Validate refuses a language the terminal does not speak.
func (p Prefs) Validate() error {
	_, err := ParseLang(p.Language)
	return err
}

// Lang is the language the preferences name, English when none or unknown.
func (p Prefs) Lang() Lang {
	if l, err := ParseLang(p.Language); err == nil {
		return l
	}
	return English
}

// StaffList is the staff as this terminal keeps them, without signing keys,
// so that staff sign in with their PIN while the cloud is out of reach.
type StaffList []Staff

// SettingKey is where the terminal keeps its staff.
func (StaffList) SettingKey() string { return SettingStaff }

// Validate refuses a member without a usable name, or one name twice.
func (l StaffList) Validate() error {
	seen := map[string]bool{}
	for _, s := range l {
		if err := validateStaffName(s.Name); err != nil {
			return err
		}
		k := strings.ToLower(s.Name)
		if seen[k] {
			return FieldError("name", "%s is already on the staff list", s.Name)
		}
		seen[k] = true
	}
	return nil
}
