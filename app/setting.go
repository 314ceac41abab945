package app

import (
	"encoding/json"
)

// Settings is where a terminal keeps its own settings by key (the terminal's
// store). Only SaveSetting and LoadSetting should write and read a Setting
// through it, so every value stored has passed its Validate.
type Settings interface {
	// GetSetting decodes the value stored under key into v and reports whether one existed.
	GetSetting(key string, v any) (bool, error)
	// PutSetting stores v under key.
	PutSetting(key string, v any) error
}

// Setting is one of the terminal's own settings: a type that knows the key
// it is kept under and refuses a value no shop could mean. The screens, the
// command line and the running terminal all read and write a setting as its
// type, never as loose JSON, so none of them can store what another refuses.
type Setting interface {
	// SettingKey is the key the terminal's store keeps the setting under.
	SettingKey() string
	// Validate refuses a value that cannot work, naming the field in words staff know.
	Validate() error
}

// SaveSetting stores v after checking it: an invalid value is refused with
// the field named (EInvalid), and nothing is stored.
func SaveSetting[T Setting](s Settings, v T) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.PutSetting(v.SettingKey(), v)
}

// LoadSetting reads the setting into v, which holds its defaults when
// nothing is stored. A stored value that can no longer be read, or no longer
// validates (written by an older version, or by hand), leaves v at its
// defaults and is returned as setAside, naming the field: the terminal keeps
// working and tells staff, rather than refusing to start. err is the store
// itself failing.
func LoadSetting[T Setting](s Settings, v *T) (setAside, err error) {
	var raw json.RawMessage
	ok, err := s.GetSetting((*v).SettingKey(), &raw)
	if err != nil || !ok {
		return nil, err
	}
	// Decode over a copy of the defaults, so fields the stored value lacks keep them.
	stored := *v
	if err := json.Unmarshal(raw, &stored); err != nil {
		return Errorf(EInvalid, "The saved %s setting cannot be read, so its defaults apply until it is saved again", settingName(stored)), nil
	}
	if err := stored.Validate(); err != nil {
		return Errorf(EInvalid, "The saved %s setting no longer holds (%s), so its defaults apply until it is saved again", settingName(stored), MessageOf(err)), nil
	}
	*v = stored
	return nil, nil
}

// settingNames say each setting in words staff know.
var settingNames = map[string]Word{
	SettingPolicy: "shop", SettingPrinting: "printing", SettingPrefs: "terminal preferences",
	SettingCloud: "cloud", SettingTerminalName: "terminal name",
}

func settingName(s Setting) Word {
	if w, ok := settingNames[s.SettingKey()]; ok {
		return w
	}
	return Word(s.SettingKey())
}
