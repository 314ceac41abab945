package printout

import "github.com/kasir/pos/app"

// Profile describes what one printer model can do (app.PrinterProfile, the
// one type the shop's printing setup, the screens and the command line
// share). Layout, the preview and the printer's encoding all read it, so a
// document is laid out once for the paper it goes on. This package reads the
// paper (width, characters per line, cutter); NativeQR, CodePage and Drawer
// are for package printer.
type Profile = app.PrinterProfile

// Preset returns a built-in profile by name (app.PrinterPreset). Errors:
// EInvalid listing the presets.
func Preset(name string) (Profile, error) { return app.PrinterPreset(name) }

// PresetNames lists the built-in profiles, sorted.
func PresetNames() []string { return app.PrinterPresetNames() }
