package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/kasir/pos/app"
	"github.com/kasir/pos/terminal"
)

// terminalSetting is one of the terminal's own settings as `pos settings`
// names it, read and written as its app type: the same type the Settings
// screen and the running terminal use, so each refuses what the others do.
type terminalSetting struct {
	// show reads the setting, its defaults when nothing (or nothing that
	// still holds) is stored; setAside says why a stored value was not used.
	show func(s app.Settings) (v any, setAside, err error)
	// set replaces the setting with the JSON value given, refused naming
	// the field when it does not hold.
	set func(t *terminal.Terminal, raw []byte) error
}

// saveHere stores a setting that is this terminal's alone.
func saveHere[T app.Setting](t *terminal.Terminal, v T) error { return app.SaveSetting(t.DB, v) }

// settingOf is the terminalSetting of app type T, whose defaults def gives
// and which save stores; field says it in words when its JSON cannot be read.
func settingOf[T app.Setting](field string, def func() T, save func(t *terminal.Terminal, v T) error) terminalSetting {
	return terminalSetting{
		show: func(s app.Settings) (any, error, error) {
			v := def()
			setAside, err := app.LoadSetting(s, &v)
			return v, setAside, err
		},
		set: func(t *terminal.Terminal, raw []byte) error {
			v := def()
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&v); err != nil {
				return app.FieldError(field, "is not this setting's JSON: %s", err.Error())
			}
			return save(t, v)
		},
	}
}

// terminalSettings are the settings `pos settings` shows and sets. The
// shop's rules (policy) are shared: setting them is the owner's change,
// sent to the cloud and every terminal, as the Settings screen's.
var terminalSettings = map[string]terminalSetting{
	"printing":      settingOf("Printing setup", app.DefaultPrinting, saveHere),
	"cloud":         settingOf("Cloud sync", func() app.CloudSetting { return app.CloudSetting{} }, saveHere),
	"prefs":         settingOf("Terminal preferences", func() app.Prefs { return app.Prefs{} }, saveHere),
	"terminal-name": settingOf("Terminal name", func() app.TerminalName { return "" }, saveHere),
	"policy": settingOf("Shop settings", app.DefaultPolicy, func(t *terminal.Terminal, p app.Policy) error {
		return t.SavePolicy(p, cliActor(t, ""))
	}),
}

func settingNames() string {
	var names []string
	for n := range terminalSettings {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// settings shows the terminal's settings as JSON, or sets one:
//
//	pos settings [show [NAME]]
//	pos settings set NAME VALUE|--file F.json
func (c *command) settings(args []string) error {
	if len(args) == 0 {
		args = []string{"show"}
	}
	switch args[0] {
	case "show":
		return c.showSettings(args[1:])
	case "set":
		return c.setSetting(args[1:])
	}
	return usagef("settings takes: show [NAME], or set NAME VALUE|--file F (NAME: %s)", settingNames())
}

func (c *command) showSettings(args []string) error {
	fs := c.flags("settings show")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("settings show takes at most one NAME (%s)", settingNames())
	}
	names := pos
	if len(names) == 0 {
		names = strings.Split(settingNames(), ", ")
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	out := map[string]any{}
	for _, n := range names {
		s, ok := terminalSettings[n]
		if !ok {
			return usagef("unknown setting %q (use %s)", n, settingNames())
		}
		v, setAside, err := s.show(t.DB)
		if err != nil {
			return err
		}
		if setAside != nil {
			c.warn(setAside)
		}
		out[n] = v
	}
	if len(pos) == 1 {
		return writeJSON(c.env.Stdout, out[pos[0]])
	}
	return writeJSON(c.env.Stdout, out)
}

func (c *command) setSetting(args []string) error {
	fs := c.flags("settings set")
	file := fs.String("file", "", "read the setting's JSON from this file (- for standard input)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if !(len(pos) == 2 && *file == "") && !(len(pos) == 1 && *file != "") {
		return usagef("settings set takes NAME and its VALUE, or NAME --file F (NAME: %s)", settingNames())
	}
	s, ok := terminalSettings[pos[0]]
	if !ok {
		return usagef("unknown setting %q (use %s)", pos[0], settingNames())
	}
	var raw []byte
	switch {
	case *file == "-":
		raw, err = io.ReadAll(c.env.Stdin)
	case *file != "":
		raw, err = os.ReadFile(*file)
	case json.Valid([]byte(pos[1])):
		raw = []byte(pos[1])
	default:
		// A bare word is a text setting's value: pos settings set terminal-name Kasir-2.
		raw, err = json.Marshal(pos[1])
	}
	if err != nil {
		return err
	}
	t, err := c.open()
	if err != nil {
		return err
	}
	defer t.Close()
	if err := s.set(t, raw); err != nil {
		return err
	}
	v, _, err := s.show(t.DB)
	if err != nil {
		return err
	}
	return writeJSON(c.env.Stdout, v)
}

// warn tells the operator of something that did not stop the command.
func (c *command) warn(err error) {
	c.env.Stderr.Write([]byte("warning: " + c.say(app.MessageOf(err)) + "\n"))
}
