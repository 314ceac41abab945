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
)

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

// Lang is the language the preferences name, English when none or unknown.
func (p Prefs) Lang() Lang {
	if l, err := ParseLang(p.Language); err == nil {
		return l
	}
	return English
}
